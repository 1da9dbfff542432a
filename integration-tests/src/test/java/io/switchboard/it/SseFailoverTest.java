package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SseFailoverTest kills sse-service members of a real cluster: the ticker moves to a survivor and
 * retained history survives.
 */
class SseFailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestCluster cluster;
  private SseNodes.Gateway gateway;
  private SseNodes.Service first;
  private SseNodes.Service second;
  private Vertx vertx;
  private WebClient web;

  @BeforeEach
  void startCluster() {
    cluster = new TestCluster();
    first = SseNodes.service(cluster, SseServiceConfig.defaults());
    second = SseNodes.service(cluster, SseServiceConfig.defaults());
    gateway = SseNodes.gateway(cluster);
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stopCluster() {
    web.close();
    TestCluster.await(vertx.close());
    cluster.close();
  }

  @Test
  void twoServicesTickOncePerPeriodAndASurvivorTakesOverWithin10Seconds() {
    try (SseClient client = SseClient.connect(vertx, gateway.port(), "/sse")) {
      SseClient.Event firstTick = client.next(WAIT);
      String ticker = firstTick.json().getString("node");
      long startedNanos = System.nanoTime();
      List<SseClient.Event> ticks = new ArrayList<>(List.of(firstTick));
      while (System.nanoTime() - startedNanos < Duration.ofSeconds(6).toNanos()) {
        ticks.add(client.next(WAIT));
      }
      double seconds = (System.nanoTime() - startedNanos) / 1e9;
      // One ticker gives about one tick a second; two would give twice as many.
      assertTrue(ticks.size() - 1 <= seconds * 1.4 + 1,
          ticks.size() + " ticks in " + seconds + " s");
      for (int i = 1; i < ticks.size(); i++) {
        assertEquals(ticks.get(i - 1).position() + 1, ticks.get(i).position());
        assertEquals(ticker, ticks.get(i).json().getString("node"));
      }
      assertEquals(1, (first.verticle().ticking() ? 1 : 0) + (second.verticle().ticking() ? 1 : 0));

      SseNodes.Service leader = first.node().nodeId().equals(ticker) ? first : second;
      SseNodes.Service survivor = leader == first ? second : first;
      SseClient.Event lastBefore = ticks.get(ticks.size() - 1);
      cluster.crashNode(leader.node());
      long crashedNanos = System.nanoTime();

      SseClient.Event afterCrash = client.next(WAIT);
      while (!afterCrash.json().getString("node").equals(survivor.node().nodeId())) {
        afterCrash = client.next(WAIT);
      }
      Duration takeover = Duration.ofNanos(System.nanoTime() - crashedNanos);
      assertTrue(takeover.compareTo(Duration.ofSeconds(10)) <= 0, "takeover took " + takeover);
      assertEquals(lastBefore.epoch(), afterCrash.epoch());
      assertTrue(afterCrash.position() > lastBefore.position());

      SseClient.Event later = client.next(WAIT);
      assertEquals(afterCrash.position() + 1, later.position());
      assertEquals(survivor.node().nodeId(), later.json().getString("node"));
    }
  }

  @Test
  void killingAnSseServiceMemberLosesNoRetainedHistory() {
    Member victim = first.node().hazelcast().getCluster().getLocalMember();
    String topic = topicOwnedBy(victim);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(SseNodes.publishData(vertx, web, gateway.port(), topic, i));
    }
    cluster.crashNode(first.node());
    Poll.until(() -> !gateway.node().hazelcast().getCluster().getMembers().contains(victim), WAIT,
        "crashed member dropped");

    HttpResponse<Buffer> response = TestCluster.awaitOn(vertx, () -> web.get(gateway.port(), "127.0.0.1",
        "/api/topics/" + topic + "/events").send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertFalse(response.bodyAsJsonObject().getBoolean("historyLost"));
    JsonArray events = response.bodyAsJsonObject().getJsonArray("events");
    assertEquals(30, events.size());
    for (int i = 0; i < 30; i++) {
      assertEquals(ids.get(i), events.getJsonObject(i).getString("id"));
      assertEquals(i, events.getJsonObject(i).getInteger("data"));
    }
    // A client resuming from the middle gets the rest, and new ids continue after the old ones.
    try (SseClient client = SseClient.connect(vertx, gateway.port(), "/sse/" + topic, ids.get(9))) {
      List<SseClient.Event> rest = client.next(20, WAIT);
      assertEquals(ids.get(10), rest.get(0).id());
      assertEquals(ids.get(29), rest.get(19).id());
      String next = SseNodes.publishData(vertx, web, gateway.port(), topic, 30);
      SseClient.Event live = client.next(WAIT);
      assertEquals(next, live.id());
      assertEquals(rest.get(19).position() + 1, live.position());
      assertEquals(rest.get(19).epoch(), live.epoch());
    }
  }

  @Test
  void aWebSocketPublishAcknowledgedRightBeforeItsTopicsOwnerIsKilledIsKept() {
    Member victim = first.node().hazelcast().getCluster().getLocalMember();
    String topic = topicOwnedBy(victim);
    List<String> acknowledged = new ArrayList<>();
    try (TestSocket publisher = TestSocket.connect(vertx, gateway.port(), "/ws/topics")) {
      assertEquals("welcome", publisher.nextJson(WAIT).getString("type"));
      for (int i = 0; i < 30; i++) {
        publisher.send(new JsonObject().put("type", "publish").put("topic", topic).put("data", i)
            .put("ref", "kill-" + i));
        JsonObject published = publisher.nextJson(WAIT);
        assertEquals("published", published.getString("type"), published.encode());
        acknowledged.add(published.getString("id"));
      }
      // At once after the last acknowledgement: it was stored with its backup, or it was not given.
      cluster.crashNode(first.node());
    }
    Poll.until(() -> !gateway.node().hazelcast().getCluster().getMembers().contains(victim), WAIT,
        "crashed member dropped");
    HttpResponse<Buffer> response = TestCluster.awaitOn(vertx, () -> web.get(gateway.port(), "127.0.0.1",
        "/api/topics/" + topic + "/events").send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonArray events = response.bodyAsJsonObject().getJsonArray("events");
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      stored.add(events.getJsonObject(i).getString("id"));
    }
    assertEquals(acknowledged, stored, "every acknowledged event, once, in order");
  }

  /** A topic whose history's primary copy lives on {@code owner}. */
  private String topicOwnedBy(Member owner) {
    for (int i = 0; i < 10_000; i++) {
      String topic = "owned-" + i;
      Member primary = gateway.node().hazelcast().getPartitionService()
          .getPartition(topic).getOwner();
      if (owner.equals(primary)) {
        return topic;
      }
    }
    throw new AssertionError("No topic maps to a partition of " + owner);
  }
}
