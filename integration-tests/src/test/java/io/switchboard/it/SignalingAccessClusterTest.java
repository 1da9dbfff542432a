package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestSocket;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.gateway.signaling.IceServers;
import io.switchboard.it.SignalingCluster.Gateway;
import io.switchboard.it.SignalingCluster.Peer;
import io.switchboard.signaling.SignalingServiceConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access control on the WebSockets of two gateways with {@code AUTH_MODE=jwt}, over a real
 * cluster: the users of room members and senders travel between gateways, a room the token does
 * not allow is refused, TURN credentials go to authenticated peers, and a token's expiry warns,
 * closes with 4001, or is pushed back by a refresh, on signaling and on echo.
 */
class SignalingAccessClusterTest {

  private static final String SECRET = "a-signaling-cluster-secret-32-bytes!";
  private static final String TURN_SECRET = "access-turn-secret";
  private static final Duration WAIT = SignalingCluster.WAIT;
  private static final Duration HOUR = Duration.ofHours(1);

  private static SignalingCluster cluster;
  private static Gateway gatewayA;
  private static Gateway gatewayB;
  private static TokenMint mint;

  @BeforeAll
  static void startCluster() {
    cluster = new SignalingCluster(Map.of(
        "AUTH_MODE", "jwt",
        "AUTH_JWT_SECRET", SECRET,
        "AUTH_EXPIRY_WARNING_SECONDS", "1",
        "SIGNALING_STUN_URLS", "stun:stun.example.org:3478",
        "SIGNALING_TURN_URLS", "turn:turn.example.org:3478",
        "SIGNALING_TURN_SECRET", TURN_SECRET),
        new SignalingServiceConfig(16));
    cluster.startSignaling();
    cluster.startEcho();
    gatewayA = cluster.startGateway();
    gatewayB = cluster.startGateway();
    mint = new TokenMint(cluster.client, SECRET, null, null);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String room() {
    return "room-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String token(String sub, Duration ttl, String... rooms) {
    return mint.mint(new TokenMint.Claims(sub, ttl, List.of(), List.of(), List.of(rooms), false));
  }

  private static Peer connect(Gateway gateway, String sub, Duration ttl, String... rooms) {
    return cluster.connect(gateway, token(sub, ttl, rooms));
  }

  private static JsonObject refresh(String token) {
    return new JsonObject().put("type", "refresh").put("token", token);
  }

  @Test
  void theUsersOfMembersAndSendersTravelBetweenGateways() {
    String room = room();
    try (Peer alice = connect(gatewayA, "alice", HOUR, room); Peer bob = connect(gatewayB, "bob", HOUR, room)) {
      alice.join(room);
      assertEquals(new JsonObject().put(alice.id(), "alice").put(bob.id(), "bob"),
          bob.join(room).getJsonObject("users"));
      assertEquals("bob", alice.next("peer-joined").getString("user"));
      alice.send(new JsonObject().put("type", "sdp").put("target", bob.id()).put("fromUser", "mallory"));
      assertEquals(new JsonObject().put("type", "sdp").put("target", bob.id()).put("from", alice.id())
          .put("fromUser", "alice"), bob.next("sdp"));
      bob.send(new JsonObject().put("type", "broadcast").put("data", "hello"));
      assertEquals(new JsonObject().put("type", "broadcast").put("room", room).put("from", bob.id())
          .put("fromUser", "bob").put("data", "hello"), alice.next("broadcast"));
      bob.send(new JsonObject().put("type", "leave"));
      assertEquals(new JsonObject().put("type", "peer-left").put("room", room).put("data", bob.id())
          .put("user", "bob"), alice.next("peer-left"));
    }
  }

  @Test
  void aRoomTheTokenDoesNotAllowIsForbiddenAndTheConnectionStaysOpen() {
    String room = room();
    try (Peer alice = connect(gatewayA, "alice", HOUR, room)) {
      alice.send(new JsonObject().put("type", "join").put("room", "not-" + room));
      assertEquals(new JsonObject().put("type", "error").put("code", "forbidden")
          .put("message", "Not allowed to join room not-" + room), alice.next("error"));
      assertEquals(room, alice.join(room).getString("room"));
      assertFalse(alice.socket().isClosed());
    }
  }

  @Test
  void anAuthenticatedPeerGetsTurnCredentialsOfItsOwn() {
    try (Peer alice = connect(gatewayA, "alice", HOUR)) {
      JsonArray servers = alice.welcome().getJsonArray("iceServers");
      assertEquals(2, servers.size());
      JsonObject turn = servers.getJsonObject(1);
      assertEquals(new JsonArray().add("turn:turn.example.org:3478"), turn.getJsonArray("urls"));
      String username = turn.getString("username");
      assertEquals(alice.id(), username.substring(username.indexOf(':') + 1));
      assertEquals(IceServers.credential(TURN_SECRET, username), turn.getString("credential"));
    }
  }

  @Test
  void anExpiringTokenIsWarnedThenClosedWith4001AndItsRoomMatesElsewhereHearItLeave() {
    String room = room();
    try (Peer bob = connect(gatewayB, "bob", HOUR, room); Peer alice = connect(gatewayA, "alice",
        Duration.ofSeconds(3), room)) {
      bob.join(room);
      alice.join(room);
      JsonObject warning = alice.next("token-expiring");
      assertTrue(warning.getLong("exp") * 1000 > System.currentTimeMillis(), warning.encode());
      assertEquals(Short.valueOf((short) 4001), alice.socket().awaitClose(WAIT));
      assertEquals("token-expired", alice.socket().raw().closeReason());
      assertEquals("alice", bob.next("peer-left").getString("user"));
    }
  }

  @Test
  void aRefreshedConnectionOutlivesItsFirstToken() {
    String room = room();
    try (Peer alice = connect(gatewayA, "alice", Duration.ofSeconds(3), room)) {
      alice.join(room);
      // Carol's token expires a second after alice's first one: her departure comes after that moment.
      try (Peer carol = connect(gatewayB, "carol", Duration.ofSeconds(4), room)) {
        carol.join(room);
        alice.send(refresh(token("alice", HOUR, room)));
        assertTrue(alice.next("refreshed").getLong("exp") > System.currentTimeMillis() / 1000 + 3000);
        alice.send(refresh(token("bob", HOUR, room)));
        assertEquals("forbidden", alice.next("error").getString("code"));
        assertEquals(Short.valueOf((short) 4001), carol.socket().awaitClose(WAIT));
        assertEquals("carol", alice.next("peer-left").getString("user"));
        assertFalse(alice.socket().isClosed());
      }
    }
  }

  @Test
  void echoTakesARefreshInItsPlaceAmongTheRepliesAndClosesAnExpiredTokenWith4001() {
    String path = "/ws/echo?token=" + token("alice", Duration.ofSeconds(3));
    try (TestSocket refreshed = TestSocket.connect(cluster.client, gatewayA.port(), path);
         TestSocket expiring = TestSocket.connect(cluster.client, gatewayB.port(), path)) {
      refreshed.send("one");
      refreshed.send(refresh(token("alice", HOUR)));
      refreshed.send("two");
      assertEquals("Server received: one", nextSkippingWarning(refreshed));
      assertEquals("refreshed", new JsonObject(nextSkippingWarning(refreshed)).getString("type"));
      assertEquals("Server received: two", nextSkippingWarning(refreshed));
      assertEquals("token-expiring", expiring.nextJson(WAIT).getString("type"));
      assertEquals(Short.valueOf((short) 4001), expiring.awaitClose(WAIT));
      refreshed.send("three");
      assertEquals("Server received: three", nextSkippingWarning(refreshed));
    }
  }

  /** The next text, past a warning the first token may have had before the refresh. */
  private static String nextSkippingWarning(TestSocket socket) {
    String text = socket.nextText(WAIT);
    return text.startsWith("{\"type\":\"token-expiring\"") ? socket.nextText(WAIT) : text;
  }
}
