package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The number of topics clients can create is capped, so history cannot grow without bound. */
class SseTopicLimitTest {

  private TestCluster cluster;
  private Vertx vertx;

  @BeforeEach
  void start() {
    cluster = new TestCluster();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    TestCluster.await(vertx.close());
    cluster.close();
  }

  @Test
  void publishingToANewTopicBeyondTheLimitGetsTopicLimitWhileExistingTopicsKeepWorking() {
    // The ticker's own topic counts too: room for two client topics.
    SseNodes.service(cluster, SseServiceConfig.defaults().withMaxTopics(3));
    SseNodes.Gateway gateway = SseNodes.gateway(cluster);
    WebClient web = SseNodes.web(vertx);

    SseNodes.publishData(vertx, web, gateway.port(), "first", 1);
    awaitTickTopic(vertx, web, gateway.port());
    SseNodes.publishData(vertx, web, gateway.port(), "second", 2);

    HttpResponse<Buffer> refused = SseNodes.publish(vertx, web, gateway.port(), "third",
        new JsonObject().put("data", 3));
    assertEquals(507, refused.statusCode(), refused.bodyAsString());
    assertEquals("topic-limit", refused.bodyAsJsonObject().getString("code"));

    SseNodes.publishData(vertx, web, gateway.port(), "first", 4);
    SseNodes.publishData(vertx, web, gateway.port(), "second", 5);
  }

  private static void awaitTickTopic(Vertx vertx, WebClient web, int port) {
    Poll.until(() -> {
      HttpResponse<Buffer> history = TestCluster.awaitOn(vertx,
          () -> web.get(port, "127.0.0.1", "/api/topics/ticks/events").send());
      return history.statusCode() == 200
          && !history.bodyAsJsonObject().getJsonArray("events").isEmpty();
    }, java.time.Duration.ofSeconds(20), "a stored tick");
  }
}
