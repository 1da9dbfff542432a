package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TopicsOverWebSocketTest subscribes, publishes and resumes topics over {@code /ws/topics} against
 * three gateways and two sse-service instances on a real Hazelcast cluster on loopback, with raw
 * WebSocket clients that speak only the documented protocol.
 */
class TopicsOverWebSocketTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int HISTORY_SIZE = 100;
  private static final int MAX_SUBSCRIPTIONS = 3;
  private static final int QUEUE_MAX = 8;

  private static TestCluster cluster;
  private static SseNodes.Gateway gatewayA;
  private static SseNodes.Gateway gatewayB;
  /** Tight limits: few subscriptions, a small rate, a short queue, small messages. */
  private static SseNodes.Gateway strict;
  private static final int FLOOD_LIMIT = 30;
  private static Vertx vertx;
  private static WebClient web;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster();
    SseServiceConfig service = SseServiceConfig.from(new Env(Map.of(
        "SSE_HISTORY_SIZE", String.valueOf(HISTORY_SIZE),
        "SSE_HISTORY_MAX_BYTES_PER_TOPIC", String.valueOf(8 << 20),
        "SSE_HISTORY_MAX_BYTES", String.valueOf(1L << 30))));
    SseNodes.service(cluster, service);
    SseNodes.service(cluster, service);
    gatewayA = SseNodes.gateway(cluster);
    gatewayB = SseNodes.gateway(cluster);
    strict = SseNodes.gateway(cluster, Map.of(
        "WS_TOPICS_MAX_SUBSCRIPTIONS", String.valueOf(MAX_SUBSCRIPTIONS),
        "WS_TOPICS_RATE_PER_SECOND", "1",
        "WS_TOPICS_RATE_BURST", "40",
        "WS_TOPICS_FLOOD_LIMIT", String.valueOf(FLOOD_LIMIT),
        "SSE_CLIENT_QUEUE_MAX", String.valueOf(QUEUE_MAX),
        "WS_MAX_MESSAGE_BYTES", "100000"));
    vertx = Vertx.vertx();
    web = SseNodes.web(vertx);
  }

  @AfterAll
  static void stopCluster() {
    if (web != null) {
      web.close();
    }
    if (vertx != null) {
      TestCluster.await(vertx.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aSubscriberOnOneGatewayGetsWhatIsPublishedOnTheOtherInOrderUnderTheIdsAnSseStreamGets() {
    String topic = topic();
    try (TestSocket subscriber = open(gatewayA.port());
         TestSocket publisher = open(gatewayB.port());
         SseClient stream = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic)) {
      JsonObject subscribed = subscribe(subscriber, new JsonObject().put("topic", topic));
      assertNull(subscribed.getValue("position"), "a topic without events has no position");
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String ref = UUID.randomUUID().toString();
        publisher.send(publish(topic, new JsonObject().put("n", i)).put("ref", ref));
        JsonObject published = publisher.nextOfType("published", WAIT);
        assertEquals(ref, published.getString("ref"));
        assertEquals(topic, published.getString("topic"));
        acknowledged.add(published.getString("id"));
      }
      List<String> overWebSocket = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JsonObject event = subscriber.nextOfType("event", WAIT);
        assertEquals(topic, event.getString("topic"));
        assertEquals(i, event.getJsonObject("data").getInteger("n"), "events in order: " + event);
        overWebSocket.add(event.getString("id"));
      }
      assertEquals(acknowledged, overWebSocket);
      List<String> overSse = stream.next(20, WAIT).stream().map(SseClient.Event::id).toList();
      assertEquals(acknowledged, overSse, "the same ids over SSE and WebSocket");
    }
  }

  @Test
  void aSubscriberResumingWithSinceOnTheOtherGatewayGetsExactlyTheEventsItMissedThenLiveOnes() {
    String topic = topic();
    List<String> ids = publishOverHttp(topic, 60);
    try (TestSocket subscriber = open(gatewayB.port())) {
      JsonObject subscribed = subscribe(subscriber, new JsonObject().put("topic", topic).put("since", ids.get(9)));
      assertEquals(ids.get(59), subscribed.getString("position"));
      for (int i = 10; i < 60; i++) {
        JsonObject event = subscriber.nextJson(WAIT);
        assertEquals("event", event.getString("type"), event.encode());
        assertEquals(ids.get(i), event.getString("id"));
      }
      String live = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "live");
      JsonObject next = subscriber.nextJson(WAIT);
      assertEquals(live, next.getString("id"), "the first event after the missed ones is the live one");
      assertEquals("live", next.getString("data"));
    }
  }

  @Test
  void aSubscriberOfATopicWithoutEventsResumesAfterZeroZeroAndGetsTheFirstEventPublishedMeanwhile() {
    String topic = topic();
    try (TestSocket subscriber = open(gatewayA.port())) {
      assertNull(subscribe(subscriber, new JsonObject().put("topic", topic)).getValue("position"));
    }
    // Published while the subscriber, which had received nothing, was away.
    String first = SseNodes.publishData(vertx, web, gatewayB.port(), topic, "first");
    try (TestSocket subscriber = open(gatewayB.port())) {
      JsonObject subscribed = subscribe(subscriber, new JsonObject().put("topic", topic).put("since", "0-0"));
      assertEquals(first, subscribed.getString("position"));
      JsonObject event = subscriber.nextJson(WAIT);
      assertEquals("event", event.getString("type"), event.encode());
      assertEquals(first, event.getString("id"));
      String live = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "live");
      assertEquals(live, subscriber.nextJson(WAIT).getString("id"), "no loss reported, no duplicate");
    }
  }

  @Test
  void anUnknownOrExpiredSinceGetsHistoryLostThenEverythingRetained() {
    String topic = topic();
    List<String> ids = publishOverHttp(topic, HISTORY_SIZE + 5);
    try (TestSocket subscriber = open(gatewayA.port())) {
      subscribe(subscriber, new JsonObject().put("topic", topic).put("since", ids.get(0)));
      JsonObject lost = subscriber.nextJson(WAIT);
      assertEquals("history-lost", lost.getString("type"), lost.encode());
      assertEquals("expired", lost.getString("reason"));
      assertEquals(topic, lost.getString("topic"));
      for (int i = 5; i < ids.size(); i++) {
        assertEquals(ids.get(i), subscriber.nextJson(WAIT).getString("id"), "every retained event, in order");
      }

      String other = topic();
      publishOverHttp(other, 2);
      subscribe(subscriber, new JsonObject().put("topic", other).put("since", "nosuchepoch-3"));
      JsonObject unknown = subscriber.nextJson(WAIT);
      assertEquals("history-lost", unknown.getString("type"), unknown.encode());
      assertEquals("unknown", unknown.getString("reason"));
      assertEquals(other, subscriber.nextOfType("event", WAIT).getString("topic"));
    }
  }

  @Test
  void historyNGivesTheLastNRetainedEventsWithoutALoss() {
    String topic = topic();
    List<String> ids = publishOverHttp(topic, 30);
    try (TestSocket subscriber = open(gatewayB.port())) {
      subscribe(subscriber, new JsonObject().put("topic", topic).put("history", 5));
      for (int i = 25; i < 30; i++) {
        assertEquals(ids.get(i), subscriber.nextJson(WAIT).getString("id"));
      }
      // More than the topic holds: all of it, and no history-lost, since no continuity was asked for.
      subscriber.send(new JsonObject().put("type", "unsubscribe").put("topic", topic));
      subscriber.nextOfType("unsubscribed", WAIT);
      subscribe(subscriber, new JsonObject().put("topic", topic).put("history", 1000));
      assertEquals(ids.get(0), subscriber.nextJson(WAIT).getString("id"));
    }
  }

  @Test
  void ephemeralEventsReachTheSubscribersOfEveryGatewayWithoutAnIdAndStayOutOfHistory() {
    String topic = topic();
    try (TestSocket onA = open(gatewayA.port()); TestSocket onB = open(gatewayB.port())) {
      subscribe(onA, new JsonObject().put("topic", topic));
      subscribe(onB, new JsonObject().put("topic", topic));
      onB.send(publish(topic, new JsonObject().put("x", 1)).put("store", false).put("event", "cursor").put("ref", "c1"));
      JsonObject published = onB.nextOfType("published", WAIT);
      assertEquals("c1", published.getString("ref"));
      assertFalse(published.containsKey("id"), "an ephemeral event has no id: " + published);
      for (TestSocket socket : List.of(onA, onB)) {
        JsonObject event = socket.nextOfType("event", WAIT);
        assertEquals(Boolean.TRUE, event.getBoolean("ephemeral"), event.encode());
        assertEquals("cursor", event.getString("event"));
        assertEquals(1, event.getJsonObject("data").getInteger("x"));
        assertNull(event.getValue("id"));
      }
      String stored = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "stored");
      assertEquals(stored, onA.nextOfType("event", WAIT).getString("id"));
      JsonArray history = TestCluster.awaitOn(vertx, () -> web.get(gatewayA.port(), "127.0.0.1",
          "/api/topics/" + topic + "/events").send()).bodyAsJsonObject().getJsonArray("events");
      assertEquals(1, history.size(), "only the stored event is in history: " + history);
    }
  }

  @Test
  void unsubscribingEndsThatTopicsEventsAndNoOther() {
    String gone = topic();
    String kept = topic();
    try (TestSocket subscriber = open(gatewayA.port())) {
      subscribe(subscriber, new JsonObject().put("topic", gone));
      subscribe(subscriber, new JsonObject().put("topic", kept));
      subscriber.send(new JsonObject().put("type", "unsubscribe").put("topic", gone));
      assertEquals(gone, subscriber.nextOfType("unsubscribed", WAIT).getString("topic"));
      SseNodes.publishData(vertx, web, gatewayB.port(), gone, "not for you");
      SseNodes.publishData(vertx, web, gatewayB.port(), kept, "for you");
      JsonObject next = subscriber.nextJson(WAIT);
      assertEquals(kept, next.getString("topic"), "nothing of the unsubscribed topic came first: " + next);
    }
  }

  @Test
  void aPublishRetriedWithItsRefIsAnsweredWithTheFirstIdAndStoredOnce() {
    String topic = topic();
    try (TestSocket publisher = open(gatewayA.port()); TestSocket again = open(gatewayB.port())) {
      publisher.send(publish(topic, "once").put("ref", "ref-1"));
      String id = publisher.nextOfType("published", WAIT).getString("id");
      // After a reconnect, through another gateway.
      again.send(publish(topic, "once").put("ref", "ref-1"));
      assertEquals(id, again.nextOfType("published", WAIT).getString("id"));
      again.send(publish(topic, "twice").put("ref", "ref-1"));
      JsonObject conflict = again.nextOfType("error", WAIT);
      assertEquals("idempotency-conflict", conflict.getString("code"));
      assertEquals("ref-1", conflict.getString("ref"));
      JsonArray history = TestCluster.awaitOn(vertx, () -> web.get(gatewayA.port(), "127.0.0.1",
          "/api/topics/" + topic + "/events").send()).bodyAsJsonObject().getJsonArray("events");
      assertEquals(1, history.size(), history.encode());
    }
  }

  @Test
  void everyBadRequestGetsItsErrorCodeAndTheSubscriptionsGoOn() {
    String topic = topic();
    try (TestSocket client = open(strict.port())) {
      subscribe(client, new JsonObject().put("topic", topic));
      assertError(client, "{not json", "bad-json");
      assertError(client, "[1,2]", "bad-request");
      assertError(client, new JsonObject().put("topic", topic).encode(), "bad-request");
      assertError(client, new JsonObject().put("type", "dance").encode(), "unknown-type");
      assertError(client, new JsonObject().put("type", "subscribe").put("topic", "no spaces").encode(), "bad-topic");
      assertError(client, new JsonObject().put("type", "subscribe").put("topic", topic).encode(), "bad-request");
      assertError(client, new JsonObject().put("type", "subscribe").put("topic", topic())
          .put("since", "x-1").put("history", 3).encode(), "bad-request");
      assertError(client, new JsonObject().put("type", "subscribe").put("topic", topic())
          .put("presence", "yes").encode(), "bad-request");
      assertError(client, new JsonObject().put("type", "unsubscribe").put("topic", topic()).encode(),
          "not-subscribed");
      assertError(client, new JsonObject().put("type", "unsubscribe").put("topic", "no spaces").encode(), "bad-topic");
      assertError(client, new JsonObject().put("type", "unsubscribe").encode(), "bad-topic");
      assertError(client, publish("ticks", 1).encode(), "bad-topic");
      assertError(client, new JsonObject().put("type", "publish").put("topic", topic).encode(), "bad-request");
      assertError(client, publish(topic, 1).put("event", "history-lost").encode(), "bad-request");
      client.sendBinary(Buffer.buffer("binary"));
      assertEquals("bad-request", client.nextOfType("error", WAIT).getString("code"));
      subscribe(client, new JsonObject().put("topic", topic()));
      subscribe(client, new JsonObject().put("topic", topic()));
      assertError(client, new JsonObject().put("type", "subscribe").put("topic", topic()).encode(),
          "too-many-subscriptions");
      String id = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "still here");
      assertEquals(id, client.nextOfType("event", WAIT).getString("id"), "the first subscription goes on");
      // An optional field given as null is absent: a null ref is a publish without one.
      client.send(publish(topic, "no ref").putNull("ref"));
      JsonObject published = client.nextOfType("published", WAIT);
      assertFalse(published.containsKey("ref"), published.encode());
    }
  }

  @Test
  void messagesOverTheRateAreRefusedWithRateLimited() {
    try (TestSocket client = open(strict.port())) {
      for (int i = 0; i < 60; i++) {
        client.send(new JsonObject().put("type", "publish").put("topic", "t" + i).put("data", i)
            .put("ref", "ref-" + i).put("store", false));
      }
      JsonObject refused;
      do {
        refused = client.nextOfType("error", WAIT);
      } while (!refused.getString("code").equals("rate-limited"));
      // It names the topic and ref of the message it drops: the client knows what to send again.
      String n = refused.getString("topic").substring(1);
      assertEquals("ref-" + n, refused.getString("ref"), refused.encode());
    }
  }

  @Test
  void floodingGetsRateLimitedForEachRefusedMessageThenACloseWith1008() {
    try (TestSocket client = open(strict.port())) {
      for (int i = 0; i < 40 + FLOOD_LIMIT + 20; i++) {
        client.send(new JsonObject().put("type", "unsubscribe").put("topic", "t" + i));
      }
      assertEquals(Short.valueOf((short) 1008), client.awaitClose(WAIT));
      // Every frame came before the close: as many rate-limited as refused messages, the last saying so.
      List<JsonObject> refusals = client.drain().stream()
          .map(frame -> new JsonObject((String) frame))
          .filter(frame -> "rate-limited".equals(frame.getString("code"))).toList();
      assertEquals(FLOOD_LIMIT, refusals.size(), refusals.toString());
      assertTrue(refusals.get(FLOOD_LIMIT - 1).getString("message").contains("closing"), refusals.toString());
    }
  }

  @Test
  void aMessageOverTheSizeLimitGetsTooLargeAndCloses1009() {
    try (TestSocket client = open(strict.port())) {
      client.send(publish(topic(), "x".repeat(200_000)));
      assertEquals("too-large", client.nextOfType("error", WAIT).getString("code"));
      assertEquals(Short.valueOf((short) 1009), client.awaitClose(WAIT));
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsClosedWith1008WhileAnotherKeepsReceiving() {
    String topic = topic();
    SimpleMeterRegistry counted = new SimpleMeterRegistry();
    Metrics.addRegistry(counted);
    try (TestSocket slow = TestSocket.connectWithSmallReceiveBuffer(vertx, strict.port(), "/ws/topics");
         TestSocket fast = open(strict.port())) {
      slow.nextOfType("welcome", WAIT);
      subscribe(slow, new JsonObject().put("topic", topic));
      subscribe(fast, new JsonObject().put("topic", topic));
      slow.raw().pause();
      String big = "y".repeat(60_000);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        ids.add(SseNodes.publishData(vertx, web, gatewayA.port(), topic, big + i));
        assertEquals(ids.get(i), fast.nextOfType("event", WAIT).getString("id"));
      }
      slow.raw().resume();
      assertEquals(Short.valueOf((short) 1008), slow.awaitClose(WAIT));
      assertEquals(1.0, counted.get("switchboard.slow.consumer.disconnects").tag("endpoint", "topics")
          .counter().count(), "the cut is counted once");
    } finally {
      Metrics.removeRegistry(counted);
    }
  }

  @Test
  void presenceListsWhoIsSubscribedAndTellsJoinsAndLeavesAcrossGateways() {
    String topic = topic();
    TestSocket alice = TestSocket.connect(vertx, gatewayA.port(), "/ws/topics");
    TestSocket bob = TestSocket.connect(vertx, gatewayB.port(), "/ws/topics");
    TestSocket carol = TestSocket.connect(vertx, gatewayB.port(), "/ws/topics");
    try {
      String aliceId = alice.nextJson(WAIT).getString("id");
      String bobId = bob.nextJson(WAIT).getString("id");
      String carolId = carol.nextJson(WAIT).getString("id");
      JsonObject first = subscribe(alice, new JsonObject().put("topic", topic).put("presence", true));
      assertEquals(List.of(aliceId), ids(first.getJsonArray("present")));
      subscribe(bob, new JsonObject().put("topic", topic));
      assertEquals(new JsonObject().put("type", "join").put("topic", topic).put("id", bobId).putNull("user"),
          alice.nextJson(WAIT));
      JsonObject third = subscribe(carol, new JsonObject().put("topic", topic).put("presence", true));
      assertEquals(List.of(aliceId, bobId, carolId), ids(third.getJsonArray("present")));
      assertEquals(carolId, alice.nextOfType("join", WAIT).getString("id"));

      long closedAt = System.nanoTime();
      bob.close();
      for (TestSocket watcher : List.of(alice, carol)) {
        JsonObject left = watcher.nextJson(Duration.ofSeconds(2).minusNanos(System.nanoTime() - closedAt));
        assertEquals(new JsonObject().put("type", "leave").put("topic", topic).put("id", bobId).putNull("user"), left);
      }
      carol.send(new JsonObject().put("type", "unsubscribe").put("topic", topic));
      carol.nextOfType("unsubscribed", WAIT);
      assertEquals(carolId, alice.nextOfType("leave", WAIT).getString("id"));
      // A subscriber without presence is never told.
      String id = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "after");
      assertEquals(id, alice.nextJson(WAIT).getString("id"), "no other frame came before the event");
    } finally {
      alice.close();
      bob.close();
      carol.close();
    }
  }

  @Test
  void theConnectionsOfAKilledGatewayLeaveTheirTopicsWithinTenSeconds() {
    String topic = topic();
    SseNodes.Gateway doomed = SseNodes.gateway(cluster);
    try (TestSocket watcher = open(gatewayA.port())) {
      subscribe(watcher, new JsonObject().put("topic", topic).put("presence", true));
      TestSocket victim = TestSocket.connect(vertx, doomed.port(), "/ws/topics");
      String victimId = victim.nextJson(WAIT).getString("id");
      subscribe(victim, new JsonObject().put("topic", topic));
      assertEquals(victimId, watcher.nextOfType("join", WAIT).getString("id"));
      long killedAt = System.nanoTime();
      doomed.node().hazelcast().getLifecycleService().terminate();
      JsonObject left = watcher.nextJson(Duration.ofSeconds(10).minusNanos(System.nanoTime() - killedAt));
      assertEquals("leave", left.getString("type"), left.encode());
      assertEquals(victimId, left.getString("id"));
      victim.close();
    } finally {
      TestCluster.await(doomed.node().vertx().close().recover(err -> io.vertx.core.Future.succeededFuture()));
    }
  }

  private static List<String> ids(JsonArray present) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < present.size(); i++) {
      ids.add(present.getJsonObject(i).getString("id"));
    }
    return ids;
  }

  private static TestSocket open(int port) {
    TestSocket socket = TestSocket.connect(vertx, port, "/ws/topics");
    JsonObject welcome = socket.nextJson(WAIT);
    assertEquals("welcome", welcome.getString("type"), welcome.encode());
    assertNotNull(welcome.getString("id"));
    return socket;
  }

  /** Subscribes and returns the {@code subscribed} reply, the next frame. */
  private static JsonObject subscribe(TestSocket socket, JsonObject request) {
    socket.send(request.copy().put("type", "subscribe"));
    JsonObject reply = socket.nextJson(WAIT);
    assertEquals("subscribed", reply.getString("type"), reply.encode());
    assertEquals(request.getString("topic"), reply.getString("topic"));
    assertTrue(reply.containsKey("position"), reply.encode());
    return reply;
  }

  private static void assertError(TestSocket socket, String message, String code) {
    socket.send(message);
    JsonObject reply = socket.nextJson(WAIT);
    assertEquals("error", reply.getString("type"), message + " answered " + reply.encode());
    assertEquals(code, reply.getString("code"), message + " answered " + reply.encode());
  }

  private static JsonObject publish(String topic, Object data) {
    return new JsonObject().put("type", "publish").put("topic", topic).put("data", data);
  }

  private static List<String> publishOverHttp(String topic, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(SseNodes.publishData(vertx, web, i % 2 == 0 ? gatewayA.port() : gatewayB.port(), topic, i));
    }
    return ids;
  }

  private static String topic() {
    return "ws-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
