package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A topic without events or subscribers for SSE_TOPIC_TTL_SECONDS is deleted with its history, and
 * a client resuming against it learns that its history is unknown; a topic with a subscriber on a
 * gateway is kept.
 */
class SseTopicExpiryTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Long enough that an event loop stalled for seconds on a loaded machine still reports in time. */
  private static final String TTL = "8";

  @Test
  void aResumeAgainstAnExpiredTopicGetsHistoryLostUnknownWhileASubscribedTopicIsKept() {
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx);
    try (TestCluster cluster = new TestCluster()) {
      SseNodes.service(cluster, SseServiceConfig.from(new Env(Map.of(
          "SSE_TOPIC_TTL_SECONDS", TTL, "PUBLISH_IDEMPOTENCY_WINDOW_SECONDS", "1"))));
      SseNodes.Gateway gateway = SseNodes.gateway(cluster, Map.of("SSE_TOPIC_TTL_SECONDS", TTL));
      int port = gateway.port();
      String idle = "idle-topic";
      String watched = "watched-topic";
      String lastIdle = SseNodes.publishData(vertx, web, port, idle, 1);
      String lastWatched = SseNodes.publishData(vertx, web, port, watched, 1);
      try (SseClient subscriber = SseClient.connect(vertx, port, "/sse/" + watched, lastWatched)) {
        assertEquals(200, subscriber.status());
        // The idle topic's deletion is the signal: by then the watched one was as long without events.
        Poll.until(() -> events(vertx, web, port, idle).getJsonArray("events").isEmpty(), WAIT,
            "the idle topic deleted");
        assertFalse(events(vertx, web, port, watched).getJsonArray("events").isEmpty(), "the watched topic is kept");
      }

      try (SseClient resumed = SseClient.connect(vertx, port, "/sse/" + idle, lastIdle)) {
        SseClient.Event lost = resumed.next(WAIT);
        assertEquals("history-lost", lost.type());
        assertEquals("unknown", lost.json().getString("reason"));
        assertEquals(lastIdle, lost.json().getString("lastEventId"));
        String fresh = SseNodes.publishData(vertx, web, port, idle, 2);
        assertEquals(fresh, resumed.next(WAIT).id(), "the topic starts again with a new history");
      }
    } finally {
      web.close();
      TestCluster.await(vertx.close());
    }
  }

  private static JsonObject events(Vertx vertx, WebClient web, int port, String topic) {
    HttpResponse<Buffer> response = TestCluster.awaitOn(vertx,
        () -> web.get(port, "127.0.0.1", "/api/topics/" + topic + "/events").send());
    return response.bodyAsJsonObject();
  }
}
