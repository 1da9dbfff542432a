package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TopicSubscribeOutageTest subscribes over {@code /ws/topics} while no sse-service instance is up,
 * on a real Hazelcast cluster on loopback, as a client that resumes after a reconnect does.
 */
class TopicSubscribeOutageTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestCluster cluster;
  private Vertx vertx;
  private WebClient web;

  @BeforeEach
  void startClient() {
    cluster = new TestCluster();
    vertx = Vertx.vertx();
    web = SseNodes.web(vertx);
  }

  @AfterEach
  void stopAll() {
    web.close();
    TestCluster.await(vertx.close());
    cluster.close();
  }

  @Test
  void aResumingSubscriptionRefusedAsUnavailableIsForgottenSoThatSubscribingAgainLaterWorks() {
    SseServiceConfig config = SseServiceConfig.from(new Env(Map.of()));
    SseNodes.Service data = SseNodes.service(cluster, config);
    SseNodes.Gateway gateway = SseNodes.liteGateway(cluster);
    String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    String seen = SseNodes.publishData(vertx, web, gateway.port(), topic, "before");

    cluster.crashNode(data.node());
    try (TestSocket client = TestSocket.connect(vertx, gateway.port(), "/ws/topics")) {
      assertEquals("welcome", client.nextJson(WAIT).getString("type"));
      JsonObject resume = new JsonObject().put("type", "subscribe").put("topic", topic).put("since", seen);
      List<JsonObject> told = new ArrayList<>();
      // Refused while no sse-service is up, each time the client tries again: never "already subscribed".
      for (int attempt = 0; attempt < 3; attempt++) {
        client.send(resume);
        JsonObject reply = client.nextJson(WAIT);
        told.add(reply);
        assertEquals("service-unavailable", reply.getString("code"), "attempt " + attempt + ": " + told);
        assertEquals(topic, reply.getString("topic"), told.toString());
      }

      SseNodes.service(cluster, config);
      JsonObject reply;
      do {
        sleep(500);
        client.send(resume);
        reply = client.nextJson(WAIT);
        told.add(reply);
        assertTrue("subscribed".equals(reply.getString("type")) || "service-unavailable".equals(reply.getString("code")),
            "only refusals as unavailable until it subscribes: " + told);
      } while (!"subscribed".equals(reply.getString("type")));
      // The new instance has none of the old history: the loss is told, then events flow.
      JsonObject lost = client.nextJson(WAIT);
      assertEquals("history-lost", lost.getString("type"), lost.encode());
      String after = SseNodes.publishData(vertx, web, gateway.port(), topic, "after");
      JsonObject event = client.nextOfType("event", WAIT);
      assertEquals(after, event.getString("id"), event.encode());
    }
  }

  @Test
  void aSubscriptionThatOpenedButCannotReadItsHistoryIsRefusedAsUnavailableAndForgotten() {
    SseServiceConfig config = SseServiceConfig.from(new Env(Map.of()));
    SseNodes.Service data = SseNodes.service(cluster, config);
    // One event loop, so that both sockets share the loop's feed of the topic; and no check of the
    // quiet topic's history during the test, which would close that feed once reads fail.
    SseNodes.Gateway gateway = SseNodes.liteGateway(cluster,
        Map.of("GATEWAY_EVENT_LOOPS", "1", "SSE_HEARTBEAT_MS", "3600000"));
    String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    String seen = SseNodes.publishData(vertx, web, gateway.port(), topic, "before");
    try (TestSocket watcher = TestSocket.connect(vertx, gateway.port(), "/ws/topics");
         TestSocket client = TestSocket.connect(vertx, gateway.port(), "/ws/topics")) {
      watcher.nextJson(WAIT);
      client.nextJson(WAIT);
      // The watcher keeps the topic's feed on the gateway: a subscription opens without a read.
      watcher.send(new JsonObject().put("type", "subscribe").put("topic", topic));
      watcher.nextOfType("subscribed", WAIT);

      cluster.crashNode(data.node());
      JsonObject resume = new JsonObject().put("type", "subscribe").put("topic", topic).put("since", seen);
      List<JsonObject> told = new ArrayList<>();
      for (int attempt = 0; attempt < 2; attempt++) {
        client.send(resume);
        // It opens, then the events after "since" cannot be read: the client is told, not left waiting.
        JsonObject opened = client.nextJson(WAIT);
        told.add(opened);
        assertEquals("subscribed", opened.getString("type"), "attempt " + attempt + ": " + told);
        JsonObject refused = client.nextJson(WAIT);
        told.add(refused);
        assertEquals("service-unavailable", refused.getString("code"), "attempt " + attempt + ": " + told);
        assertEquals(topic, refused.getString("topic"), told.toString());
      }
    }
  }

  @Test
  void aSubscriberRefusedAsUnavailableIsNeverAnnouncedToThoseWatchingPresence() {
    // A data member of its own keeps presence while the only sse-service instance is gone.
    cluster.startNode();
    SseServiceConfig config = SseServiceConfig.from(new Env(Map.of()));
    SseNodes.Service data = SseNodes.service(cluster, config);
    SseNodes.Gateway gatewayA = SseNodes.liteGateway(cluster);
    // The newcomer's gateway has no feed of the topic yet: its subscription cannot open without history.
    SseNodes.Gateway gatewayB = SseNodes.liteGateway(cluster);
    String topic = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    String seen = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "before");
    try (TestSocket watcher = TestSocket.connect(vertx, gatewayA.port(), "/ws/topics");
         TestSocket newcomer = TestSocket.connect(vertx, gatewayB.port(), "/ws/topics")) {
      watcher.nextJson(WAIT);
      String newcomerId = newcomer.nextJson(WAIT).getString("id");
      watcher.send(new JsonObject().put("type", "subscribe").put("topic", topic).put("presence", true));
      watcher.nextOfType("subscribed", WAIT);

      cluster.crashNode(data.node());
      newcomer.send(new JsonObject().put("type", "subscribe").put("topic", topic).put("since", seen)
          .put("presence", true));
      assertEquals("service-unavailable", newcomer.nextJson(WAIT).getString("code"));
      // Then an ephemeral event, which needs no storage: everything before it was said before it.
      newcomer.send(new JsonObject().put("type", "publish").put("topic", topic).put("store", false)
          .put("data", "marker").put("ref", "marker"));
      List<JsonObject> told = new ArrayList<>();
      JsonObject frame;
      do {
        frame = watcher.nextJson(WAIT);
        told.add(frame);
      } while (!"marker".equals(frame.getValue("data")));
      assertTrue(told.stream().noneMatch(f -> newcomerId.equals(f.getString("id"))),
          "a connection whose subscription never opened was announced: " + told);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
