package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TopicPresenceRestoreTest loses the cluster state that holds topic presence, as when the only data
 * member restarts, on a real Hazelcast cluster on loopback: gateways on lite members, one
 * sse-service as the data member, raw WebSocket clients of {@code /ws/topics}.
 */
class TopicPresenceRestoreTest {

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
  void whenTheOnlyDataMemberRestartsLiveConnectionsArePresentAgainAndThoseOfAGatewayLostMeanwhileLeave() {
    SseServiceConfig config = SseServiceConfig.from(new Env(Map.of()));
    SseNodes.Service data = SseNodes.service(cluster, config);
    SseNodes.Gateway gatewayA = SseNodes.liteGateway(cluster);
    SseNodes.Gateway gatewayB = SseNodes.liteGateway(cluster);
    SseNodes.Gateway doomed = SseNodes.liteGateway(cluster);
    String topic = "presence-" + UUID.randomUUID().toString().substring(0, 8);
    TestSocket alice = TestSocket.connect(vertx, gatewayA.port(), "/ws/topics");
    TestSocket bob = TestSocket.connect(vertx, gatewayB.port(), "/ws/topics");
    TestSocket victim = TestSocket.connect(vertx, doomed.port(), "/ws/topics");
    TestSocket dave = TestSocket.connect(vertx, gatewayB.port(), "/ws/topics");
    try {
      String aliceId = alice.nextJson(WAIT).getString("id");
      String bobId = bob.nextJson(WAIT).getString("id");
      String victimId = victim.nextJson(WAIT).getString("id");
      String daveId = dave.nextJson(WAIT).getString("id");
      subscribe(alice, topic);
      subscribe(bob, topic);
      assertEquals(bobId, alice.nextOfType("join", WAIT).getString("id"));
      subscribe(victim, topic);
      assertEquals(victimId, alice.nextOfType("join", WAIT).getString("id"));

      // The only data member goes, and the gateway of the victim with it: nothing is left to sweep.
      cluster.crashNode(data.node());
      cluster.crashNode(doomed.node());
      SseNodes.service(cluster, config);

      List<JsonObject> told = new ArrayList<>();
      JsonObject frame;
      do {
        frame = alice.nextJson(WAIT);
        told.add(frame);
      } while (!("leave".equals(frame.getString("type")) && victimId.equals(frame.getString("id"))));
      String marker = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "after");
      do {
        frame = alice.nextJson(WAIT);
        told.add(frame);
      } while (!marker.equals(frame.getString("id")));
      assertFalse(told.stream().anyMatch(f -> bobId.equals(f.getString("id"))),
          "bob, whose connection lived on, was never told gone or back: " + told);

      JsonObject subscribed = subscribe(dave, topic);
      assertEquals(Set.of(aliceId, bobId, daveId), ids(subscribed.getJsonArray("present")),
          "the live connections were written back, and the lost one is not listed: " + subscribed);
    } finally {
      alice.close();
      bob.close();
      victim.close();
      dave.close();
    }
  }

  private static JsonObject subscribe(TestSocket socket, String topic) {
    socket.send(new JsonObject().put("type", "subscribe").put("topic", topic).put("presence", true));
    JsonObject reply = socket.nextOfType("subscribed", WAIT);
    assertTrue(reply.containsKey("present"), reply.encode());
    return reply;
  }

  private static Set<String> ids(JsonArray present) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < present.size(); i++) {
      ids.add(present.getJsonObject(i).getString("id"));
    }
    return ids;
  }
}
