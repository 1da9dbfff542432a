package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OperatorControlsTest runs each operator control of docs/protocol.md against connections on two
 * gateways of a real cluster with {@code AUTH_MODE=jwt}: a topic deleted, a user disconnected, a
 * user's tokens revoked, a peer kicked out of its room, each called with an API key.
 */
class OperatorControlsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SECRET = "an-integration-test-secret-of-32-bytes+";
  private static final String API_KEY = "operator-key-" + UUID.randomUUID();
  private static final Map<String, String> AUTH =
      Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET, "AUTH_API_KEYS", API_KEY);

  private static TestCluster cluster;
  private static SseNodes.Gateway gatewayA;
  private static SseNodes.Gateway gatewayB;
  private static Vertx vertx;
  private static JWTAuth jwt;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster();
    SseNodes.service(cluster, SseServiceConfig.defaults());
    ClusterNode signaling = cluster.startNode();
    TestCluster.await(signaling.vertx().deployVerticle(
        new SignalingVerticle(signaling, new SignalingServiceConfig(SignalingServiceConfig.DEFAULT_ROOM_CAPACITY))));
    gatewayA = SseNodes.gateway(cluster, AUTH);
    gatewayB = SseNodes.gateway(cluster, AUTH);
    vertx = Vertx.vertx();
    jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  @AfterAll
  static void stopCluster() {
    if (vertx != null) {
      TestCluster.await(vertx.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A token of {@code sub} issued at {@code iat} (epoch seconds), for every topic and room. */
  private static String token(String sub, long iat) {
    JsonObject claims = new JsonObject().put("sub", sub).put("iat", iat).put("exp", iat + 3600)
        .put("subscribe", "*").put("publish", "*").put("rooms", "*");
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  private static String token(String sub) {
    return token(sub, now());
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static String user() {
    return "user-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static HttpResponse<String> call(String method, int port, String path, JsonObject body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(port, path)).timeout(WAIT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return Http.send(request.build());
  }

  private static JsonObject operator(String method, int port, String path, JsonObject body) {
    HttpResponse<String> response = call(method, port, path, body, "X-API-Key", API_KEY);
    assertEquals(200, response.statusCode(), response.body());
    return Http.json(response);
  }

  private static TestSocket socket(int port, String path, String token) {
    TestSocket socket = TestSocket.connect(vertx, port, path + "?token=" + token);
    socket.nextOfType("welcome", WAIT);
    return socket;
  }

  private static String publish(int port, String topic, Object data) {
    HttpResponse<String> response = call("POST", port, "/api/topics/" + topic + "/events",
        new JsonObject().put("data", data), "X-API-Key", API_KEY);
    assertEquals(202, response.statusCode(), response.body());
    return Http.json(response).getString("id");
  }

  @Test
  void deletingATopicTellsItsSubscribersOnBothGatewaysHistoryLostAndTheyGetItsNextEvents() {
    String topic = "ops-" + UUID.randomUUID().toString().substring(0, 8);
    String reader = token(user());
    List<SseClient> streams = new java.util.ArrayList<>();
    try (TestSocket ws = socket(gatewayA.port(), "/ws/topics", reader);
         TestSocket late = socket(gatewayB.port(), "/ws/topics", reader);
         SseClient sse = SseClient.connect(vertx, gatewayB.port(), "/sse/" + topic + "?token=" + reader)) {
      ws.send(new JsonObject().put("type", "subscribe").put("topic", topic));
      ws.nextOfType("subscribed", WAIT);
      String first = publish(gatewayA.port(), topic, "before");
      assertEquals(first, ws.nextOfType("event", WAIT).getString("id"));
      assertEquals(first, sse.next(1, WAIT).get(0).id());
      // Subscribers that joined after it had only their starting position: that is their last id.
      late.send(new JsonObject().put("type", "subscribe").put("topic", topic));
      assertEquals(first, late.nextOfType("subscribed", WAIT).getString("position"));
      SseClient lateSse = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic + "?token=" + reader);
      streams.add(lateSse);
      Poll.until(() -> first.equals(lateSse.lastEventId()), WAIT, "the late stream's opening position");

      JsonObject deleted = operator("DELETE", gatewayB.port(), "/api/topics/" + topic, null);
      assertEquals(new JsonObject().put("topic", topic).put("deleted", true), deleted);

      JsonObject lost = ws.nextOfType("history-lost", WAIT);
      assertEquals("unknown", lost.getString("reason"));
      assertEquals(first, lost.getString("since"));
      SseClient.Event sseLost = sse.next(1, WAIT).get(0);
      assertEquals("history-lost", sseLost.type());
      assertEquals("unknown", sseLost.json().getString("reason"));
      assertEquals(first, late.nextOfType("history-lost", WAIT).getString("since"));
      SseClient.Event lateLost = lateSse.next(1, WAIT).get(0);
      assertEquals("history-lost", lateLost.type());
      assertEquals(first, lateLost.json().getString("lastEventId"));

      String next = publish(gatewayB.port(), topic, "after");
      assertNotEquals(first.split("-")[0], next.split("-")[0], "the next event starts a new history");
      JsonObject event = ws.nextOfType("event", WAIT);
      assertEquals(next, event.getString("id"), "still subscribed: " + event);
      assertEquals(next, sse.next(1, WAIT).get(0).id(), "the stream stays open");
      // Nothing of the deleted history is left to read.
      JsonObject page = Http.json(call("GET", gatewayA.port(), "/api/topics/" + topic + "/events", null,
          "X-API-Key", API_KEY));
      assertEquals(List.of(next), page.getJsonArray("events").stream()
          .map(each -> ((JsonObject) each).getString("id")).toList());
    } finally {
      streams.forEach(SseClient::close);
    }
    assertEquals(new JsonObject().put("topic", "never-" + topic).put("deleted", false),
        operator("DELETE", gatewayA.port(), "/api/topics/never-" + topic, null));
  }

  @Test
  void disconnectingAUserClosesEachOfItsConnectionsOnEveryGatewayAndNoOneElses() {
    String alice = user();
    String bob = user();
    SimpleMeterRegistry counted = new SimpleMeterRegistry();
    Metrics.addRegistry(counted);
    try (TestSocket echo = socket(gatewayA.port(), "/ws/signaling", token(alice));
         TestSocket topics = socket(gatewayB.port(), "/ws/topics", token(alice));
         SseClient stream = SseClient.connect(vertx, gatewayA.port(), "/sse/ops-feed?token=" + token(alice));
         TestSocket other = socket(gatewayB.port(), "/ws/topics", token(bob))) {
      assertEquals(200, stream.status());
      JsonObject answer = operator("POST", gatewayB.port(), "/api/users/" + alice + "/disconnect", null);
      assertEquals(new JsonObject().put("user", alice).put("disconnected", 3).put("unreachable", 0), answer);
      assertEquals(Short.valueOf((short) 4003), echo.awaitClose(WAIT));
      assertEquals(Short.valueOf((short) 4003), topics.awaitClose(WAIT));
      SseClient.Event reconnect = stream.next(1, WAIT).get(0);
      assertEquals("reconnect", reconnect.type());
      assertEquals("disconnected", reconnect.json().getString("reason"));
      // Bob's connection was left alone: it still answers.
      other.send(new JsonObject().put("type", "subscribe").put("topic", "ops-feed"));
      other.nextOfType("subscribed", WAIT);
      assertEquals(1.0, counted.get("switchboard.operator.actions").tag("action", "disconnect-user")
          .counter().count());
      assertEquals(2.0, counted.get("switchboard.connections.closed").tag("reason", "4003")
          .counters().stream().mapToDouble(c -> c.count()).sum());
    } finally {
      Metrics.removeRegistry(counted);
    }
  }

  @Test
  void disconnectingAnAdminEndsItsDashboardStreamWithAReconnectCountedAsDisconnected() {
    String carol = user();
    long iat = now();
    String admin = jwt.generateToken(new JsonObject().put("sub", carol).put("iat", iat).put("exp", iat + 3600)
        .put("admin", true), new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    SimpleMeterRegistry counted = new SimpleMeterRegistry();
    Metrics.addRegistry(counted);
    try (SseClient board = SseClient.connect(vertx, gatewayA.port(), "/api/cluster/stream?token=" + admin)) {
      assertEquals(200, board.status());
      assertEquals("cluster", board.next(WAIT).type());
      JsonObject answer = operator("POST", gatewayB.port(), "/api/users/" + carol + "/disconnect", null);
      assertEquals(new JsonObject().put("user", carol).put("disconnected", 1).put("unreachable", 0), answer);
      SseClient.Event last = board.next(WAIT);
      while ("cluster".equals(last.type())) {
        last = board.next(WAIT);
      }
      assertEquals("reconnect", last.type());
      assertEquals("disconnected", last.json().getString("reason"));
      assertEquals(1.0, counted.get("switchboard.connections.closed").tag("endpoint", "sse")
          .tag("reason", "disconnected").counter().count());
    } finally {
      Metrics.removeRegistry(counted);
    }
  }

  @Test
  void aDisconnectedTopicSubscriberGetsNoFrameAfterItsCloseFrameThoughItsTopicGoesOn() throws Exception {
    String alice = user();
    String topic = "after-close-" + UUID.randomUUID().toString().substring(0, 8);
    // A client that does not answer the close frame: the connection stays up until the gateway
    // gives up on the closing handshake, and every frame written meanwhile reaches it.
    try (RawFrames raw = RawFrames.connect(gatewayA.port(), "/ws/topics?token=" + token(alice))) {
      assertEquals("welcome", new JsonObject(raw.next().text()).getString("type"));
      raw.sendText(new JsonObject().put("type", "subscribe").put("topic", topic).encode());
      assertEquals("subscribed", new JsonObject(raw.next().text()).getString("type"));
      publish(gatewayB.port(), topic, "before");
      assertEquals("before", new JsonObject(raw.next().text()).getString("data"));

      operator("POST", gatewayB.port(), "/api/users/" + alice + "/disconnect", null);
      for (int i = 0; i < 5; i++) {
        publish(gatewayB.port(), topic, "after " + i);
      }
      RawFrames.Frame close = raw.next();
      assertEquals(8, close.opcode(), "the close frame first: " + close.text());
      assertEquals(4003, ((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff));
      // Nothing after it, up to the end of the connection: a frame after a close frame breaks the
      // protocol, and browsers fail the connection instead of closing it.
      List<String> after = new ArrayList<>();
      for (RawFrames.Frame frame = raw.next(); frame != null; frame = raw.next()) {
        after.add(frame.opcode() + ": " + frame.text());
      }
      assertEquals(List.of(), after);
    }
  }

  @Test
  void aDisconnectedSignalingPeerGetsNoFrameAfterItsCloseFrameThoughItsRoomGoesOn() throws Exception {
    String alice = user();
    String room = "after-close-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestSocket stays = TestSocket.connect(vertx, gatewayB.port(), "/ws/signaling?token=" + token(user()));
         RawFrames raw = RawFrames.connect(gatewayA.port(), "/ws/signaling?token=" + token(alice))) {
      stays.nextOfType("welcome", WAIT);
      assertEquals("welcome", new JsonObject(raw.next().text()).getString("type"));
      raw.sendText(new JsonObject().put("type", "join").put("room", room).encode());
      assertEquals("joined", new JsonObject(raw.next().text()).getString("type"));
      stays.send(new JsonObject().put("type", "join").put("room", room));
      stays.nextOfType("joined", WAIT);
      assertEquals("peer-joined", new JsonObject(raw.next().text()).getString("type"));

      operator("POST", gatewayB.port(), "/api/users/" + alice + "/disconnect", null);
      for (int i = 0; i < 5; i++) {
        stays.send(new JsonObject().put("type", "broadcast").put("data", "after " + i));
      }
      RawFrames.Frame close = raw.next();
      assertEquals(8, close.opcode(), "the close frame first: " + close.text());
      List<String> after = new ArrayList<>();
      for (RawFrames.Frame frame = raw.next(); frame != null; frame = raw.next()) {
        after.add(frame.opcode() + ": " + frame.text());
      }
      assertEquals(List.of(), after);
    }
  }

  @Test
  void revokingAUsersTokensClosesTheConnectionsUsingOneAndRefusesThemWhileLaterTokensStillWork() {
    String alice = user();
    long issued = now() - 60;
    String old = token(alice, issued);
    try (TestSocket oldOnA = socket(gatewayA.port(), "/ws/topics", old);
         TestSocket oldOnB = socket(gatewayB.port(), "/ws/signaling", old)) {
      long before = now() - 10;
      JsonObject answer = operator("POST", gatewayA.port(), "/api/users/" + alice + "/revoke",
          new JsonObject().put("before", before));
      assertEquals(2, answer.getInteger("disconnected"), answer.encode());
      assertEquals(before, answer.getLong("before"));
      assertEquals(Short.valueOf((short) 4003), oldOnA.awaitClose(WAIT));
      assertEquals(Short.valueOf((short) 4003), oldOnB.awaitClose(WAIT));
    }
    for (SseNodes.Gateway gateway : List.of(gatewayA, gatewayB)) {
      Throwable refused = assertThrows(AssertionError.class,
          () -> TestSocket.connect(vertx, gateway.port(), "/ws/topics?token=" + old));
      UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, rootCause(refused));
      assertEquals(401, rejected.getStatus());
      HttpResponse<String> stream = call("GET", gateway.port(), "/api/topics/ops-feed/events", null,
          "Authorization", "Bearer " + old);
      assertEquals(401, stream.statusCode(), stream.body());
      assertTrue(stream.body().contains("revoked"), stream.body());
    }
    // A gateway that joins later reads the revocation from the cluster.
    SseNodes.Gateway later = SseNodes.gateway(cluster, AUTH);
    HttpResponse<String> late = call("GET", later.port(), "/api/topics/ops-feed/events", null,
        "Authorization", "Bearer " + old);
    assertEquals(401, late.statusCode(), late.body());
    assertTrue(late.body().contains("revoked"), late.body());
    // A token issued after the time is accepted.
    try (TestSocket fresh = socket(gatewayB.port(), "/ws/topics", token(alice))) {
      fresh.send(new JsonObject().put("type", "subscribe").put("topic", "ops-feed"));
      fresh.nextOfType("subscribed", WAIT);
    }
  }

  @Test
  void kickingAPeerTakesItOutOfItsRoomAndItsRoomMateOnTheOtherGatewayGetsPeerLeft() {
    String room = "ops-room-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestSocket stays = TestSocket.connect(vertx, gatewayA.port(), "/ws/signaling?token=" + token(user()));
         TestSocket kicked = TestSocket.connect(vertx, gatewayB.port(), "/ws/signaling?token=" + token(user()))) {
      stays.nextOfType("welcome", WAIT);
      kicked.nextOfType("welcome", WAIT);
      stays.send(new JsonObject().put("type", "join").put("room", room));
      stays.nextOfType("joined", WAIT);
      kicked.send(new JsonObject().put("type", "join").put("room", room));
      String peer = kicked.nextOfType("joined", WAIT).getString("id");
      assertEquals(peer, stays.nextOfType("peer-joined", WAIT).getString("data"));

      JsonObject answer = operator("POST", gatewayA.port(), "/api/rooms/" + room + "/kick",
          new JsonObject().put("peer", peer));
      assertEquals(new JsonObject().put("room", room).put("peer", peer).put("kicked", true), answer);
      JsonObject left = kicked.nextOfType("left", WAIT);
      assertEquals(room, left.getString("room"));
      assertEquals("kicked", left.getString("reason"));
      assertEquals(peer, stays.nextOfType("peer-left", WAIT).getString("data"));
      JsonObject listed = operator("GET", gatewayB.port(), "/api/rooms/" + room, null);
      assertEquals(1, listed.getJsonArray("peers", new JsonArray()).size(), listed.encode());

      HttpResponse<String> unknown = call("POST", gatewayB.port(), "/api/rooms/" + room + "/kick",
          new JsonObject().put("peer", peer), "X-API-Key", API_KEY);
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals("unknown-peer", Http.json(unknown).getString("code"));
    }
  }

  @Test
  void aUserTokenWithoutTheAdminClaimMayUseNoOperatorControl() {
    String bearer = "Bearer " + token(user());
    for (String[] control : new String[][] {{"DELETE", "/api/topics/ops-feed"},
        {"POST", "/api/users/someone/disconnect"}, {"POST", "/api/users/someone/revoke"},
        {"POST", "/api/rooms/ops-room/kick"}}) {
      HttpResponse<String> refused = call(control[0], gatewayA.port(), control[1],
          new JsonObject().put("before", now()).put("peer", "x"), "Authorization", bearer);
      assertEquals(403, refused.statusCode(), control[1] + ": " + refused.body());
      assertEquals("forbidden", Http.json(refused).getString("code"));
      HttpResponse<String> anonymous = call(control[0], gatewayA.port(), control[1], null);
      assertEquals(401, anonymous.statusCode(), control[1] + ": " + anonymous.body());
    }
  }

  @Test
  void anOperatorControlWithABodyOverItsLimitIsRefusedWithTooLargeInTheErrorShape() {
    JsonObject large = new JsonObject().put("before", now()).put("peer", "p".repeat(5000));
    for (String path : new String[] {"/api/users/someone/revoke", "/api/rooms/ops-room/kick"}) {
      HttpResponse<String> refused = call("POST", gatewayA.port(), path, large, "X-API-Key", API_KEY);
      assertEquals(413, refused.statusCode(), path + ": " + refused.body());
      assertEquals("too-large", Http.json(refused).getString("code"), refused.body());
    }
  }

  @Test
  void anOperatorControlWhoseBodyCannotBeReadIsRefusedWithItsCodeInTheErrorShape() {
    String[][] bodies = {
        {"application/x-www-form-urlencoded", "before=%zz&peer=%%%", "bad-request"},
        {"application/json", "{\"before\": ", "bad-json"},
        {"application/json", "[1, 2]", "bad-request"},
    };
    for (String path : new String[] {"/api/users/someone/revoke", "/api/rooms/ops-room/kick"}) {
      for (String[] body : bodies) {
        HttpResponse<String> refused = Http.send(HttpRequest.newBuilder(Http.uri(gatewayA.port(), path))
            .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body[1]))
            .header("Content-Type", body[0]).header("X-API-Key", API_KEY).build());
        assertEquals(400, refused.statusCode(), path + " " + body[1] + ": " + refused.body());
        JsonObject error = Http.json(refused);
        assertEquals(body[2], error.getString("code"), refused.body());
        assertFalse(error.getString("message", "").isBlank(), refused.body());
      }
    }
  }

  private static Throwable rootCause(Throwable err) {
    Throwable cause = err;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
