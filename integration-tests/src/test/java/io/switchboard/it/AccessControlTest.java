package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AccessControlTest runs two gateways with {@code AUTH_MODE=jwt} over a real cluster, and proves
 * each row of the access rules of docs/protocol.md: who may stream, publish, read history and use
 * the operator endpoints, what a refusal looks like, and what happens when a token expires on an
 * open stream.
 */
class AccessControlTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SECRET = "an-integration-test-secret-of-32-bytes+";
  private static final String API_KEY = "backend-key-" + UUID.randomUUID();
  private static final Duration HOUR = Duration.ofHours(1);

  private static TestCluster cluster;
  private static SseNodes.Gateway gatewayA;
  private static SseNodes.Gateway gatewayB;
  private static Vertx vertx;
  private static TokenMint mint;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster();
    SseNodes.service(cluster, SseServiceConfig.defaults());
    ClusterNode signaling = cluster.startNode();
    TestCluster.await(signaling.vertx().deployVerticle(
        new SignalingVerticle(signaling, new SignalingServiceConfig(SignalingServiceConfig.DEFAULT_ROOM_CAPACITY))));
    Map<String, String> jwt = Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET, "AUTH_API_KEYS",
        "other-key," + API_KEY);
    gatewayA = SseNodes.gateway(cluster, jwt);
    gatewayB = SseNodes.gateway(cluster, jwt);
    vertx = Vertx.vertx();
    mint = new TokenMint(vertx, SECRET, null, null);
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

  private static String topic(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A token of {@code sub} valid for {@code ttl}, with the topic patterns and admin right given. */
  private static String token(String sub, Duration ttl, List<String> subscribe, List<String> publish,
      boolean admin) {
    return mint.mint(new TokenMint.Claims(sub, ttl, subscribe, publish, List.of(), admin));
  }

  private static String reader(String pattern) {
    return token("reader-" + UUID.randomUUID(), HOUR, List.of(pattern), List.of(), false);
  }

  private static String admin() {
    return token("operator", HOUR, List.of(), List.of(), true);
  }

  /** Correctly signed, but expired a minute ago. */
  private static String expiredToken() {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    long now = System.currentTimeMillis() / 1000;
    return auth.generateToken(new JsonObject().put("sub", "late").put("exp", now - 60)
        .put("subscribe", "chat.*"), new JWTOptions().setAlgorithm("HS256"));
  }

  /** The same claims, signed with another secret. */
  private static String forgedToken() {
    return new TokenMint(vertx, "not-the-gateways-secret-but-32-bytes-long", null, null)
        .mint(new TokenMint.Claims("mallory", HOUR, List.of("*"), List.of("*"), List.of(), true));
  }

  private static HttpResponse<String> get(int port, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(port, path)).GET().timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return Http.send(request.build());
  }

  private static HttpResponse<String> publish(int port, String topic, JsonObject body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(port, "/api/topics/" + topic + "/events"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return Http.send(request.build());
  }

  private static String publishWithKey(String topic, Object data) {
    HttpResponse<String> response = publish(gatewayB.port(), topic, new JsonObject().put("data", data),
        "X-API-Key", API_KEY);
    assertEquals(202, response.statusCode(), response.body());
    return Http.json(response).getString("id");
  }

  private static void assertRefused(int status, String code, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "a JSON error, not a stream");
    assertEquals(code, Http.json(response).getString("code"), response.body());
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void aTokenForChatTopicsStreamsChatXAndIsRefusedNewsWithForbidden() {
    String token = reader("chat.*");
    String chat = topic("chat.");
    try (SseClient stream = SseClient.connect(vertx, gatewayA.port(), "/sse/" + chat + "?token=" + token)) {
      assertEquals(200, stream.status());
      String id = publishWithKey(chat, "hello");
      assertEquals(id, stream.next(WAIT).id());
    }
    HttpResponse<String> news = get(gatewayA.port(), "/sse/" + topic("news.") + "?token=" + token,
        "Accept", "text/event-stream");
    assertRefused(403, "forbidden", news);
    assertTrue(Http.json(news).getString("message").contains("news."), news.body());
    assertRefused(403, "forbidden", get(gatewayA.port(), "/sse?token=" + token, "Accept", "text/event-stream"));
  }

  @Test
  void aStreamWithoutATokenWithAnExpiredOneOrAForgedOneIsRefusedWithUnauthorizedBeforeAnyStream() {
    String path = "/sse/" + topic("chat.");
    assertRefused(401, "unauthorized", get(gatewayA.port(), path, "Accept", "text/event-stream"));
    HttpResponse<String> expired = get(gatewayA.port(), path + "?token=" + expiredToken(),
        "Accept", "text/event-stream");
    assertRefused(401, "unauthorized", expired);
    assertTrue(Http.json(expired).getString("message").contains("expired"), expired.body());
    assertRefused(401, "unauthorized", get(gatewayB.port(), path + "?token=" + forgedToken(),
        "Accept", "text/event-stream"));
    assertRefused(401, "unauthorized", get(gatewayB.port(), path, "Authorization", "Bearer not.a.jwt"));
  }

  @Test
  void aWebSocketUpgradeWithoutAValidTokenIsRefusedWithUnauthorizedAndOneWithATokenOpens() {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      for (String path : List.of("/ws/echo", "/ws/echo?token=" + forgedToken(), "/ws/signaling")) {
        Throwable refused = TestCluster.awaitOn(vertx, () -> client.connect(gatewayA.port(), "127.0.0.1", path)
            .map(ws -> (Throwable) null).otherwise(err -> err));
        UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, refused, path);
        assertEquals(401, rejected.getStatus(), path);
        assertEquals("unauthorized", rejected.getBody().toJsonObject().getString("code"), path);
      }
    } finally {
      TestCluster.await(client.close());
    }
    try (TestSocket echo = TestSocket.connect(vertx, gatewayB.port(), "/ws/echo?token=" + reader("none"))) {
      assertFalse(echo.isClosed(), "a valid token opens /ws/echo, whatever it grants");
    }
  }

  @Test
  void aTopicsWebSocketSubscribesAndPublishesOnlyWhereTheTokensClaimsAllow() {
    String mine = topic("chat.");
    String theirs = topic("news.");
    String token = token("alice", HOUR, List.of("chat.*"), List.of("chat.*"), false);
    try (TestSocket alice = TestSocket.connect(vertx, gatewayA.port(), "/ws/topics?token=" + token)) {
      JsonObject welcome = alice.nextJson(WAIT);
      assertEquals("welcome", welcome.getString("type"));
      assertEquals("alice", welcome.getString("user"));
      alice.send(new JsonObject().put("type", "subscribe").put("topic", theirs));
      JsonObject refused = alice.nextJson(WAIT);
      assertEquals("forbidden", refused.getString("code"), refused.encode());
      assertEquals(theirs, refused.getString("topic"));
      alice.send(new JsonObject().put("type", "publish").put("topic", theirs).put("data", 1).put("ref", "r1"));
      JsonObject notYours = alice.nextJson(WAIT);
      assertEquals("forbidden", notYours.getString("code"), notYours.encode());
      assertEquals("r1", notYours.getString("ref"));
      alice.send(new JsonObject().put("type", "subscribe").put("topic", mine));
      assertEquals("subscribed", alice.nextJson(WAIT).getString("type"));
      alice.send(new JsonObject().put("type", "publish").put("topic", mine).put("data", "hi").put("ref", "r2"));
      // The acknowledgement and the event itself come in either order.
      Map<String, JsonObject> byType = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        JsonObject frame = alice.nextJson(WAIT);
        byType.put(frame.getString("type"), frame);
      }
      assertEquals(byType.get("published").getString("id"), byType.get("event").getString("id"),
          "her own event, on her own subscription: " + byType);
    }
  }

  @Test
  void anApiCallWithoutValidCredentialsIsRefusedWithUnauthorized() {
    assertRefused(401, "unauthorized", get(gatewayA.port(), "/api/cluster"));
    assertRefused(401, "unauthorized", get(gatewayA.port(), "/api/cluster", "X-API-Key", "wrong-key"));
    assertRefused(401, "unauthorized", get(gatewayA.port(), "/api/cluster",
        "Authorization", bearer(expiredToken())));
    assertRefused(401, "unauthorized", get(gatewayA.port(), "/api/cluster", "Authorization", bearer(forgedToken())));
    HttpResponse<String> inQuery = get(gatewayA.port(), "/api/cluster?token=" + admin());
    assertRefused(401, "unauthorized", inQuery);
    assertTrue(Http.json(inQuery).getString("message").contains("Authorization header"), inQuery.body());
  }

  @Test
  void publishingNeedsAnApiKeyOrATokenAllowingTheTopic() {
    String topic = topic("chat.");
    JsonObject body = new JsonObject().put("data", "hi");
    assertEquals(202, publish(gatewayA.port(), topic, body, "X-API-Key", API_KEY).statusCode());
    String writer = token("writer", HOUR, List.of(), List.of("chat.*"), false);
    assertEquals(202, publish(gatewayB.port(), topic, body, "Authorization", bearer(writer)).statusCode());
    HttpResponse<String> elsewhere = publish(gatewayB.port(), topic("news."), body,
        "Authorization", bearer(writer));
    assertRefused(403, "forbidden", elsewhere);
    assertRefused(403, "forbidden", publish(gatewayA.port(), topic, body,
        "Authorization", bearer(reader("chat.*"))));
    assertRefused(401, "unauthorized", publish(gatewayA.port(), topic, body));
  }

  @Test
  void historyIsReadWithASubscribeClaimAnAdminTokenOrAnApiKeyAndRefusedOtherwise() {
    String topic = topic("chat.");
    String id = publishWithKey(topic, "kept");
    String path = "/api/topics/" + topic + "/events";
    for (String[] credentials : List.of(
        new String[] {"Authorization", bearer(reader("chat.*"))},
        new String[] {"Authorization", bearer(admin())},
        new String[] {"X-API-Key", API_KEY})) {
      HttpResponse<String> history = get(gatewayA.port(), path, credentials);
      assertEquals(200, history.statusCode(), credentials[0] + ": " + history.body());
      assertEquals(id, Http.json(history).getJsonArray("events").getJsonObject(0).getString("id"));
    }
    assertRefused(403, "forbidden", get(gatewayA.port(), path, "Authorization", bearer(reader("news.*"))));
    assertRefused(401, "unauthorized", get(gatewayA.port(), path));
  }

  @Test
  void roomsAndClusterEndpointsAreForAdminTokensAndApiKeysOnly() {
    String user = reader("*");
    for (String path : List.of("/api/rooms", "/api/rooms/standup", "/api/cluster")) {
      assertRefused(403, "forbidden", get(gatewayB.port(), path, "Authorization", bearer(user)));
      assertEquals(200, get(gatewayB.port(), path, "Authorization", bearer(admin())).statusCode(), path);
      assertEquals(200, get(gatewayB.port(), path, "X-API-Key", API_KEY).statusCode(), path);
    }
    assertRefused(403, "forbidden", get(gatewayB.port(), "/api/cluster/stream?token=" + user,
        "Accept", "text/event-stream"));
    try (SseClient board = SseClient.connect(vertx, gatewayB.port(), "/api/cluster/stream?token=" + admin())) {
      assertEquals(200, board.status());
      assertEquals("cluster", board.next(WAIT).type());
    }
  }

  @Test
  void anApiKeyOpensTheDashboardStreamButNoTopicStream() {
    for (String path : List.of("/sse", "/sse/" + topic("chat."))) {
      assertRefused(403, "forbidden", get(gatewayA.port(), path, "Accept", "text/event-stream",
          "X-API-Key", API_KEY));
    }
    try (SseClient board = SseClient.connectWith(vertx, gatewayA.port(), "/api/cluster/stream",
        "X-API-Key", API_KEY)) {
      assertEquals(200, board.status());
      assertEquals("cluster", board.next(WAIT).type());
    }
  }

  @Test
  void aStreamGetsTokenExpiredAtExpiryThenEndsAndResumesWithAFreshToken() {
    String topic = topic("chat.");
    String shortLived = token("brief", Duration.ofSeconds(3), List.of("chat.*"), List.of(), true);
    long exp = System.currentTimeMillis() / 1000 + 3;
    String seen;
    try (SseClient stream = SseClient.connect(vertx, gatewayA.port(), "/sse/" + topic + "?token=" + shortLived);
        SseClient board = SseClient.connect(vertx, gatewayB.port(), "/api/cluster/stream?token=" + shortLived)) {
      seen = publishWithKey(topic, "before");
      assertEquals(seen, stream.next(WAIT).id());
      SseClient.Event expired = stream.next(WAIT);
      assertEquals("token-expired", expired.type());
      assertEquals(seen, expired.id(), "the event sets no id: the client resumes after the last event it had");
      assertTrue(Math.abs(expired.json().getLong("exp") - exp) <= 1, expired.data());
      stream.awaitEnd(WAIT);
      SseClient.Event last = board.next(WAIT);
      while ("cluster".equals(last.type())) {
        last = board.next(WAIT);
      }
      assertEquals("token-expired", last.type(), "the cluster stream ends the same way");
      board.awaitEnd(WAIT);
    }
    String missed = publishWithKey(topic, "while away");
    assertRefused(401, "unauthorized", get(gatewayA.port(), "/sse/" + topic + "?token=" + shortLived,
        "Accept", "text/event-stream"));
    try (SseClient resumed = SseClient.connect(vertx, gatewayB.port(),
        "/sse/" + topic + "?token=" + reader("chat.*"), seen)) {
      assertEquals(missed, resumed.next(WAIT).id());
    }
  }

  @Test
  void eventTypesTheServerSendsCannotBePublished() {
    String topic = topic("chat.");
    for (String type : List.of("history-lost", "token-expired", "reconnect")) {
      HttpResponse<String> response = publish(gatewayA.port(), topic,
          new JsonObject().put("event", type).put("data", 1), "X-API-Key", API_KEY);
      assertRefused(400, "bad-request", response);
      assertTrue(Http.json(response).getString("message").contains(type), response.body());
    }
    assertEquals(202, publish(gatewayA.port(), topic, new JsonObject().put("event", "expired").put("data", 1),
        "X-API-Key", API_KEY).statusCode(), "a type that is merely alike is allowed");
  }

  @Test
  void theSameIdempotencyKeyFromTwoUsersPublishesTwoEvents() {
    String topic = topic("chat.");
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("data", "same");
    String alice = token("alice", HOUR, List.of(), List.of("chat.*"), false);
    String bob = token("bob", HOUR, List.of(), List.of("chat.*"), false);
    HttpResponse<String> first = publish(gatewayA.port(), topic, body, "Authorization", bearer(alice),
        "Idempotency-Key", key);
    HttpResponse<String> other = publish(gatewayB.port(), topic, body, "Authorization", bearer(bob),
        "Idempotency-Key", key);
    HttpResponse<String> backend = publish(gatewayB.port(), topic, body, "X-API-Key", API_KEY,
        "Idempotency-Key", key);
    assertEquals(202, other.statusCode(), other.body());
    assertTrue(other.headers().firstValue("Idempotent-Replayed").isEmpty(), "bob's key is his own");
    assertTrue(backend.headers().firstValue("Idempotent-Replayed").isEmpty(), "so is the backend's");
    assertNotEquals(Http.json(first).getString("id"), Http.json(other).getString("id"));
    HttpResponse<String> retry = publish(gatewayB.port(), topic, body, "Authorization", bearer(alice),
        "Idempotency-Key", key);
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(Http.json(first).getString("id"), Http.json(retry).getString("id"));
    HttpResponse<String> history = get(gatewayA.port(), "/api/topics/" + topic + "/events", "X-API-Key", API_KEY);
    assertEquals(3, Http.json(history).getJsonArray("events").size(), history.body());
  }

  @Test
  void publicRoutesAreServedWithoutATokenInJwtMode() {
    for (String path : List.of("/health", "/", "/chat.html", "/feed.html", "/js/switchboard.js",
        "/css/switchboard.css")) {
      assertEquals(200, get(gatewayA.port(), path).statusCode(), path);
    }
    int ready = get(gatewayA.port(), "/ready").statusCode();
    assertTrue(ready == 200 || ready == 503, "readiness answers, whatever the cluster's state: " + ready);
    assertRefused(401, "unauthorized", get(gatewayA.port(), "/no-such-page"));
  }
}
