package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.sse.Topics;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.common.sse.history.AppendEvent;
import io.switchboard.common.sse.history.HistoryMaps;
import io.switchboard.common.sse.history.TopicJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SseClusterTest runs SSE streams and the topic API against two gateways and two sse-service
 * instances on a real Hazelcast cluster on loopback.
 */
class SseClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int HISTORY_SIZE = 100;
  private static final int SLOW_QUEUE_MAX = 8;

  private static TestCluster cluster;
  private static SseNodes.Gateway gatewayA;
  private static SseNodes.Gateway gatewayB;
  private static SseNodes.Service serviceA;
  private static Vertx vertx;
  private static WebClient web;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster();
    // Room for HISTORY_SIZE events of the 60 KB the slow-client tests publish, so that a gap a
    // gateway fills from history under load is still there.
    SseServiceConfig service = SseServiceConfig.from(new Env(Map.of(
        "SSE_HISTORY_SIZE", String.valueOf(HISTORY_SIZE),
        "SSE_HISTORY_MAX_BYTES_PER_TOPIC", String.valueOf(16 << 20),
        "SSE_HISTORY_MAX_BYTES", String.valueOf(1L << 30))));
    serviceA = SseNodes.service(cluster, service);
    SseNodes.service(cluster, service);
    gatewayA = SseNodes.gateway(cluster, Map.of("SSE_HEARTBEAT_MS", "300"));
    gatewayB = SseNodes.gateway(cluster, Map.of("SSE_CLIENT_QUEUE_MAX", String.valueOf(SLOW_QUEUE_MAX)));
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

  private static String topic() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void defaultStreamCarriesTicksWithSseHeaders() {
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse")) {
      assertEquals(200, client.status());
      assertEquals("text/event-stream", client.headers().get("Content-Type"));
      assertEquals("no-cache", client.headers().get("Cache-Control"));
      assertEquals("no", client.headers().get("X-Accel-Buffering"));
      SseClient.Event tick = client.next(WAIT);
      assertNotNull(tick.id());
      assertNull(tick.type());
      assertEquals("Hello from server!", tick.json().getString("message"));
      SseClient.Event nextTick = client.next(WAIT);
      assertEquals(tick.position() + 1, nextTick.position());
    }
  }

  @Test
  void subscriberOnOneGatewayReceivesInOrderEventsPublishedThroughAnother() {
    String topic = topic();
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(SseNodes.publishData(vertx, web, gatewayB.port(), topic, new JsonObject().put("n", i)));
      }
      List<SseClient.Event> events = client.next(20, WAIT);
      for (int i = 0; i < 20; i++) {
        assertEquals(ids.get(i), events.get(i).id());
        assertEquals(i, events.get(i).json().getInteger("n"));
      }
    }
  }

  @Test
  void concurrentPublishersThroughBothGatewaysAreDeliveredInIdOrderWithoutGaps() {
    String topic = topic();
    try (SseClient onA = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic);
        SseClient onB = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic)) {
      int count = 200;
      List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int port = i % 2 == 0 ? gatewayA.port() : gatewayB.port();
        replies.add(publishLater(port, topic, new JsonObject().put("event", "n").put("data", i)));
      }
      Set<String> published = new HashSet<>();
      for (Future<HttpResponse<Buffer>> reply : replies) {
        HttpResponse<Buffer> response = TestCluster.await(reply);
        assertEquals(202, response.statusCode(), response.bodyAsString());
        assertEquals(topic, response.bodyAsJsonObject().getString("topic"));
        published.add(response.bodyAsJsonObject().getString("id"));
      }
      // Published after all the others: a duplicate of any of them would come before it.
      String marker = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "marker");
      for (SseClient client : List.of(onA, onB)) {
        List<SseClient.Event> events = client.next(count, WAIT);
        Set<String> received = new HashSet<>();
        Set<Integer> values = new HashSet<>();
        for (int i = 0; i < count; i++) {
          assertEquals("n", events.get(i).type());
          if (i > 0) {
            assertEquals(events.get(i - 1).position() + 1, events.get(i).position());
          }
          received.add(events.get(i).id());
          values.add(Integer.valueOf(events.get(i).data()));
        }
        assertEquals(published, received);
        assertEquals(count, values.size());
        assertEquals(marker, client.next(WAIT).id(), "no duplicate after the last event");
      }
    }
  }

  @Test
  void resumesOnTheOtherGatewayWithExactlyTheMissedEventsThenLiveOnes() {
    String topic = topic();
    String lastSeen;
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic)) {
      SseNodes.publishData(vertx, web, gatewayA.port(), topic, "before");
      lastSeen = client.next(WAIT).id();
    }
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      missed.add(SseNodes.publishData(vertx, web, gatewayA.port(), topic, "missed-" + i));
    }
    try (SseClient client = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic, lastSeen)) {
      List<SseClient.Event> events = client.next(50, WAIT);
      for (int i = 0; i < 50; i++) {
        assertEquals(missed.get(i), events.get(i).id());
        assertEquals("\"missed-" + i + "\"", events.get(i).data());
      }
      for (int i = 0; i < 5; i++) {
        String id = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "live-" + i);
        SseClient.Event live = client.next(WAIT);
        assertEquals(id, live.id());
        assertEquals("\"live-" + i + "\"", live.data());
      }
      String marker = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "marker");
      assertEquals(marker, client.next(WAIT).id(), "no duplicate after the last event");
    }
  }

  @Test
  void aStreamThatEndsBeforeTheTopicsFirstEventResumesFromItsOpeningPositionWithThatEvent() {
    String topic = topic();
    String position;
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic)) {
      awaitCondition(() -> client.lastEventId() != null, "the stream's opening position");
      position = client.lastEventId();
    }
    // Published while the client is away, before it has received any event.
    String first = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "first");
    try (SseClient client = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic, position)) {
      SseClient.Event event = client.next(WAIT);
      assertEquals(first, event.id());
      assertEquals("\"first\"", event.data());
      String marker = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "marker");
      assertEquals(marker, client.next(WAIT).id(), "no duplicate after the first event");
    }
  }

  @Test
  void resumesWhilePublishingContinuesWithoutGapOrDuplicate() {
    String topic = topic();
    String first = SseNodes.publishData(vertx, web, gatewayA.port(), topic, 0);
    // Publishing goes on while the client reconnects, so live events race the history read.
    List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      replies.add(publishLater(gatewayA.port(), topic, new JsonObject().put("data", i)));
      if (i == 30) {
        try (SseClient client = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic,
            first)) {
          for (int j = i + 1; j <= 60; j++) {
            replies.add(publishLater(gatewayA.port(), topic, new JsonObject().put("data", j)));
          }
          List<SseClient.Event> events = client.next(60, WAIT);
          for (int k = 0; k < 60; k++) {
            assertEquals(k + 2, events.get(k).position(), "position of event " + k);
          }
          String marker = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "marker");
          assertEquals(marker, client.next(WAIT).id(), "no duplicate after the last event");
        }
        break;
      }
    }
    for (Future<HttpResponse<Buffer>> reply : replies) {
      assertEquals(202, TestCluster.await(reply).statusCode());
    }
  }

  @Test
  void resumeBeyondRetentionStartsWithHistoryLost() {
    String topic = topic();
    String old = SseNodes.publishData(vertx, web, gatewayB.port(), topic, "old");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < HISTORY_SIZE + 20; i++) {
      ids.add(SseNodes.publishData(vertx, web, gatewayB.port(), topic, i));
    }
    List<String> retained = ids.subList(ids.size() - HISTORY_SIZE, ids.size());
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(),
        "/sse/" + topic + "?lastEventId=" + old)) {
      SseClient.Event lost = client.next(WAIT);
      assertEquals("history-lost", lost.type());
      assertEquals(topic, lost.json().getString("topic"));
      assertEquals(old, lost.json().getString("lastEventId"));
      assertEquals("expired", lost.json().getString("reason"));
      assertNotNull(lost.id());
      List<SseClient.Event> events = client.next(HISTORY_SIZE, WAIT);
      for (int i = 0; i < HISTORY_SIZE; i++) {
        assertEquals(retained.get(i), events.get(i).id());
      }
      // Resuming from the history-lost event's id reports nothing lost and replays the same.
      try (SseClient again = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic, lost.id())) {
        assertEquals(retained.get(0), again.next(WAIT).id());
      }
    }
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic,
        "nosuchepoch-7")) {
      SseClient.Event lost = client.next(WAIT);
      assertEquals("history-lost", lost.type());
      assertEquals("unknown", lost.json().getString("reason"));
      assertEquals(retained.get(0), client.next(WAIT).id());
    }
  }

  @Test
  void eventStoredButNeverPublishedReachesSubscribersOnceTheTopicIsQuiet() {
    String topic = topic();
    String before = SseNodes.publishData(vertx, web, gatewayB.port(), topic, "published");
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic, before)) {
      // As if an sse-service instance died between storing the event and publishing it.
      serviceA.node().hazelcast().<String, TopicJournal>getMap(HistoryMaps.HISTORY)
          .executeOnKey(topic, new AppendEvent(null, AppendEvent.encode("\"stored only\""), "g:test",
              System.currentTimeMillis(), SseServiceConfig.defaults().limits(), "unused"));
      SseClient.Event event = client.next(WAIT);
      assertEquals("\"stored only\"", event.data());
      assertEquals(SseClient.position(before) + 1, event.position());
    }
  }

  @Test
  void historyApiReturnsRetainedEventsAfterAnId() {
    String topic = topic();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(SseNodes.publishData(vertx, web, gatewayA.port(), topic, new JsonObject().put("n", i)));
    }
    HttpResponse<Buffer> response = TestCluster.awaitOn(vertx, () -> web.get(gatewayB.port(), "127.0.0.1",
        "/api/topics/" + topic + "/events?after=" + ids.get(1)).send());
    assertEquals(200, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(false, body.getBoolean("historyLost"));
    JsonArray events = body.getJsonArray("events");
    assertEquals(3, events.size());
    assertEquals(ids.get(2), events.getJsonObject(0).getString("id"));
    assertEquals(2, events.getJsonObject(0).getJsonObject("data").getInteger("n"));
    assertEquals(ids.get(4), body.getString("lastEventId"));

    HttpResponse<Buffer> all = TestCluster.awaitOn(vertx, () -> web.get(gatewayB.port(), "127.0.0.1",
        "/api/topics/" + topic + "/events").send());
    assertEquals(5, all.bodyAsJsonObject().getJsonArray("events").size());
    HttpResponse<Buffer> unknown = TestCluster.awaitOn(vertx, () -> web.get(gatewayB.port(), "127.0.0.1",
        "/api/topics/" + topic + "/events?after=garbage").send());
    assertEquals(true, unknown.bodyAsJsonObject().getBoolean("historyLost"));
    assertEquals(5, unknown.bodyAsJsonObject().getJsonArray("events").size());
  }

  @Test
  void dataWithLineBreaksArrivesIntact() {
    String topic = topic();
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic)) {
      JsonObject data = new JsonObject().put("text", "line one\nline two\r\nthree");
      SseNodes.publish(vertx, web, gatewayB.port(), topic, new JsonObject().put("event", "note").put("data", data));
      SseClient.Event event = client.next(WAIT);
      assertEquals("note", event.type());
      assertEquals(data, event.json());
      assertTrue(!event.data().contains("\n"), "data is sent on one line");
    }
  }

  @Test
  void heartbeatCommentsArriveOnIdleStreams() {
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic())) {
      assertTrue(client.nextComment(WAIT).startsWith("stream"));
      assertEquals("heartbeat", client.nextComment(WAIT));
      assertEquals("heartbeat", client.nextComment(WAIT));
    }
  }

  @Test
  void closedStreamsReleaseTheirTopicAtOnce() {
    String topic = topic();
    int before = gatewayA.verticle().sseStreams().streamCount();
    SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic);
    awaitStreams(gatewayA, 1, topic);
    assertEquals(1, gatewayA.verticle().sseStreams().feedCount(topic), "one feed serves the topic");
    client.close();
    awaitCondition(() -> gatewayA.verticle().sseStreams().streamCount() == before
        && gatewayA.verticle().sseStreams().subscriberCount(topic) == 0
        && gatewayA.verticle().sseStreams().feedCount(topic) == 0, "stream and topic feed released");
  }

  @Test
  void anHttp10ClientGetsThePlainEventStreamWithoutChunkFraming() {
    String topic = topic();
    NetClient net = vertx.createNetClient();
    StringBuilder received = new StringBuilder();
    NetSocket socket = TestCluster.awaitOn(vertx, () -> net.connect(gatewayA.port(), "127.0.0.1")
        .map(connected -> connected.handler(bytes -> {
          synchronized (received) {
            received.append(bytes.toString());
          }
        })));
    TestCluster.await(socket.write("GET /sse/" + topic + " HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n"));
    try {
      // Events published once the stream is open reach it; the gateway counts it a little sooner.
      awaitReceived(received, ": stream " + topic + "\n\n", "the stream open");
      SseNodes.publishData(vertx, web, gatewayA.port(), topic, "one");
      SseNodes.publishData(vertx, web, gatewayA.port(), topic, "two");
      awaitReceived(received, "data: \"two\"\n\n", "both events");
      String text;
      synchronized (received) {
        text = received.toString();
      }
      // Heartbeats may come between the events at the test's short heartbeat period.
      String body = text.substring(text.indexOf("\r\n\r\n") + 4).replace(": heartbeat\n\n", "");
      assertTrue(text.startsWith("HTTP/1.0 200"), text);
      // Chunk sizes and their CRLFs would sit between the events: the body is the stream itself.
      // The stream opens with the position of the topic, which has no event yet, to resume from.
      assertTrue(body.startsWith(": stream " + topic + "\n\nid: 0-0\n\nid: "), body);
      assertTrue(!body.contains("\r\n"), body);
      assertTrue(body.contains("\ndata: \"one\"\n\nid: "), body);
    } finally {
      socket.close();
      net.close();
    }
  }

  @Test
  void aClientThatPausesGetsEveryHeldEventOnTheSameConnectionOnceItReadsAgain() {
    String topic = topic();
    NetClient net = vertx.createNetClient();
    StringBuilder received = new StringBuilder();
    boolean[] closed = {false};
    NetSocket paused = TestCluster.awaitOn(vertx, () -> net.connect(gatewayA.port(), "127.0.0.1")
        .map(connected -> connected.handler(bytes -> {
          synchronized (received) {
            received.append(bytes.toString());
          }
        }).closeHandler(v -> closed[0] = true)));
    TestCluster.await(paused.write("GET /sse/" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\n\r\n"));
    try {
      awaitReceived(received, ": stream " + topic + "\n", "the stream open");
      paused.pause();
      // Far more than the socket buffers hold, so the gateway holds events until the client reads.
      String big = "y".repeat(60_000);
      int count = 300;
      for (int i = 0; i < count; i++) {
        SseNodes.publishData(vertx, web, gatewayA.port(), topic, i + big);
      }
      paused.resume();
      String last = "data: \"" + (count - 1) + "y";
      awaitReceived(received, last, "every event after the pause");
      String text;
      synchronized (received) {
        text = received.toString();
      }
      int at = 0;
      for (int i = 0; i < count; i++) {
        at = text.indexOf("data: \"" + i + "y", at);
        assertTrue(at >= 0, "event " + i + " in order");
      }
      assertTrue(!closed[0], "the same connection");
    } finally {
      paused.close();
      net.close();
    }
  }

  @Test
  void clientThatStopsReadingIsDisconnectedWhileOthersKeepReceiving() {
    String topic = topic();
    NetClient net = vertx.createNetClient();
    NetSocket slow = TestCluster.awaitOn(vertx, () -> net.connect(gatewayB.port(), "127.0.0.1")
        .map(NetSocket::pause));
    TestCluster.await(slow.write("GET /sse/" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\n\r\n"));
    try (SseClient reader = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic)) {
      assertTrue(reader.nextComment(WAIT).startsWith("stream"));
      awaitStreams(gatewayB, 2, topic);
      String big = "x".repeat(60_000);
      int count = 300;
      for (int i = 0; i < count; i++) {
        SseNodes.publishData(vertx, web, gatewayA.port(), topic, i + big);
      }
      awaitCondition(() -> gatewayB.verticle().sseStreams().subscriberCount(topic) == 1,
          "slow client disconnected");
      List<SseClient.Event> events = reader.next(count, WAIT);
      for (int i = 0; i < count; i++) {
        assertTrue(events.get(i).data().startsWith("\"" + i + "x"));
      }
    } finally {
      slow.close();
      net.close();
    }
  }

  @Test
  void badInputGetsDocumentedErrorsAndOthersKeepBeingServed() {
    String topic = topic();
    try (SseClient client = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic)) {
      assertError(get("/sse/bad!name"), 400, "bad-topic");
      assertError(get("/sse/" + "a".repeat(129)), 400, "bad-topic");
      assertError(get("/sse/"), 400, "bad-topic");
      assertError(get("/api/topics/bad%20name/events"), 400, "bad-topic");
      assertError(post("bad!name", "application/json", "{\"data\":1}"), 400, "bad-topic");
      assertError(post(Topics.TICKS, "application/json", "{\"data\":1}"), 400, "bad-topic");
      assertError(post(topic, "application/json", "{not json"), 400, "bad-json");
      assertError(post(topic, "application/json", ""), 400, "bad-json");
      // As strict as a /ws/topics frame: no repeated key, no comment.
      assertError(post(topic, "application/json", "{\"data\":1,\"data\":2}"), 400, "bad-json");
      assertError(post(topic, "application/json", "{\"data\":1 /* one */}"), 400, "bad-json");
      assertError(post(topic, "application/json", "[1,2]"), 400, "bad-request");
      assertError(post(topic, "application/json", "{\"event\":\"x\"}"), 400, "bad-request");
      assertError(post(topic, "application/json", "{\"event\":\"a\\nb\",\"data\":1}"), 400,
          "bad-request");
      assertError(post(topic, "text/plain", "{\"data\":1}"), 415, "unsupported-media-type");
      assertError(post(topic, "application/json",
          "{\"data\":\"" + "y".repeat(70_000) + "\"}"), 413, "too-large");
      assertError(request(HttpMethod.PUT, "/api/topics/" + topic + "/events"), 405,
          "method-not-allowed");
      assertError(request(HttpMethod.DELETE, "/sse/" + topic), 405, "method-not-allowed");
      assertError(request(HttpMethod.POST, "/sse"), 405, "method-not-allowed");
      assertError(get("/api/topics/" + topic + "/events?limit=0"), 400, "bad-request");

      String id = SseNodes.publishData(vertx, web, gatewayB.port(), topic, "still served");
      assertEquals(id, client.next(WAIT).id());
    }
  }

  private static HttpResponse<Buffer> get(String path) {
    return request(HttpMethod.GET, path);
  }

  private static HttpResponse<Buffer> request(HttpMethod method, String path) {
    return TestCluster.awaitOn(vertx, () -> web.request(method, gatewayA.port(), "127.0.0.1", path).send());
  }

  private static HttpResponse<Buffer> post(String topic, String contentType, String body) {
    return TestCluster.awaitOn(vertx, () -> web.post(gatewayB.port(), "127.0.0.1", "/api/topics/" + topic + "/events")
        .putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)));
  }

  /** Publishes through the gateway on {@code port}; the answer comes in the future returned. */
  private static Future<HttpResponse<Buffer>> publishLater(int port, String topic, JsonObject body) {
    return TestCluster.onContext(vertx, () -> web.post(port, "127.0.0.1", "/api/topics/" + topic + "/events")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals(code, response.bodyAsJsonObject().getString("code"));
    assertNotNull(response.bodyAsJsonObject().getString("message"));
  }

  /** Waits until the gateway holds {@code count} streams of the topic. */
  private static void awaitStreams(SseNodes.Gateway gateway, int count, String topic) {
    awaitCondition(() -> gateway.verticle().sseStreams().subscriberCount(topic) == count,
        count + " streams of " + topic);
  }

  private static void awaitReceived(StringBuilder received, String text, String what) {
    awaitCondition(() -> {
      synchronized (received) {
        return received.indexOf(text) >= 0;
      }
    }, what);
  }

  private static void awaitCondition(BooleanSupplier condition, String what) {
    Poll.until(condition, WAIT, what);
  }
}
