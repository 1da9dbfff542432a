package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.FakeWebSocket;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.TestLoop;
import io.switchboard.gateway.auth.AuthConfig;
import io.switchboard.gateway.auth.Authenticator;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.Patterns;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.gateway.node.SignalingConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Access control on {@code /ws/signaling} as one connection sees it (docs/protocol.md): the rooms a
 * token allows, the users of members and senders, TURN credentials, and the token's expiry and
 * refresh. Over the in-memory room directory and router, with a real authenticator; the sessions
 * run on an event loop, where their expiry timers fire.
 */
class SignalingAccessTest {

  private static final String SECRET = "a-signaling-test-secret-of-32-bytes!";
  private static final String ROOM = "standup";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final JsonObject STUN = new JsonObject().put("urls", new JsonArray().add("stun:stun.example.org"));

  private final Vertx vertx = Vertx.vertx();
  private final TestLoop loop = new TestLoop(vertx.getOrCreateContext());
  private final InMemorySignaling cluster = new InMemorySignaling(16);
  private final SignalingConfig config = TestConfigs.signaling(Map.of(
      "SIGNALING_STUN_URLS", "stun:stun.example.org",
      "SIGNALING_TURN_URLS", "turn:turn.example.org",
      "SIGNALING_TURN_USERNAME", "turn-user",
      "SIGNALING_TURN_CREDENTIAL", "turn-password"));
  private final SocketAuth socketAuth = new SocketAuth(TestCluster.await(Authenticator.create(vertx,
      AuthConfig.from(new Env(Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET))))), Duration.ofSeconds(1));
  private final TokenMint mint = new TokenMint(vertx, SECRET, null, null);

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  /** A connected client, its welcome taken; {@code closed} completes when its session ends. */
  private record Client(FakeWebSocket socket, String id, JsonObject welcome, CompletableFuture<Void> closed) {

    JsonObject next() throws InterruptedException {
      return socket.next(WAIT);
    }

    JsonObject next(String type) throws InterruptedException {
      return socket.nextOfType(type, WAIT);
    }
  }

  private Client connect(Grants grants) {
    return loop.call(() -> {
      FakeWebSocket socket = new FakeWebSocket();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      new SignalingSession(socket.socket(), config, cluster, cluster, new IceServers(config, Clock.systemUTC()),
          new RateMeter(), new FrameTypes(), socketAuth.access(vertx, grants), () -> closed.complete(null)).start();
      JsonObject welcome = new JsonObject(socket.pending());
      return new Client(socket, welcome.getString("id"), welcome, closed);
    });
  }

  private void send(Client client, JsonObject message) {
    send(client, message.encode());
  }

  private void send(Client client, String text) {
    loop.call(() -> {
      client.socket().receive(text);
      return null;
    });
  }

  private Client joined(Grants grants, String room) throws InterruptedException {
    Client client = connect(grants);
    send(client, join(room));
    assertEquals("joined", client.next().getString("type"));
    return client;
  }

  private static Grants user(String sub, long ttlSeconds, String... rooms) {
    return Grants.user(sub, System.currentTimeMillis() / 1000 + ttlSeconds, Patterns.none(), Patterns.none(),
        Patterns.of(rooms), false);
  }

  private String token(String sub, String... rooms) {
    return mint.mint(new TokenMint.Claims(sub, Duration.ofHours(1), List.of(), List.of(), List.of(rooms), false));
  }

  private static JsonObject join(String room) {
    return new JsonObject().put("type", "join").put("room", room);
  }

  private static JsonObject refresh(String token) {
    return new JsonObject().put("type", "refresh").put("token", token);
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("type", "error").put("code", code).put("message", message);
  }

  private static JsonObject presence(String type, String peer, String user) {
    return new JsonObject().put("type", type).put("room", ROOM).put("data", peer).put("user", user);
  }

  @Test
  void aJoinOfARoomTheTokenDoesNotAllowIsForbiddenAndTheConnectionStaysInItsRoom() throws InterruptedException {
    Client alice = joined(user("alice", 3600, ROOM), ROOM);
    send(alice, join("secret"));
    assertEquals(error("forbidden", "Not allowed to join room secret"), alice.next());
    assertEquals(Map.of(), cluster.members("secret"));
    send(alice, join(ROOM));
    assertEquals(ROOM, alice.next("joined").getString("room"));
    assertNull(alice.socket().closeStatus());
  }

  @Test
  void joinedNamesTheUserOfEveryMemberItselfIncluded() throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "bob", "gateway-b", "bob@example.org");
    cluster.joinFromElsewhere(ROOM, "carol", "gateway-b");
    Client alice = connect(user("alice", 3600, ROOM));
    send(alice, join(ROOM));
    assertEquals(new JsonObject().put("type", "joined").put("room", ROOM).put("id", alice.id())
        .put("peers", new JsonArray().add("bob").add("carol"))
        .put("users", new JsonObject().put("bob", "bob@example.org").put(alice.id(), "alice")), alice.next());
  }

  @Test
  void peerJoinedAndPeerLeftNameThePeersUserWhereverItIsConnected() throws InterruptedException {
    Client alice = joined(user("alice", 3600, ROOM), ROOM);
    // A user the client claims for itself is no more than a field the server ignores.
    Client bob = connect(user("bob", 3600, ROOM));
    send(bob, join(ROOM).put("user", "mallory"));
    assertEquals(presence("peer-joined", bob.id(), "bob"), alice.next());
    send(bob, new JsonObject().put("type", "leave"));
    assertEquals(presence("peer-left", bob.id(), "bob"), alice.next());
    cluster.joinFromElsewhere(ROOM, "carol", "gateway-b", "carol");
    assertEquals(presence("peer-joined", "carol", "carol"), alice.next());
    loop.call(() -> {
      cluster.loseNode("gateway-b");
      return null;
    });
    assertEquals(presence("peer-left", "carol", "carol"), alice.next());
  }

  @Test
  void relaysAndBroadcastsCarryTheSendersUserAndNoClientCanForgeIt() throws InterruptedException {
    Client alice = joined(user("alice", 3600, ROOM), ROOM);
    Client bob = joined(user("bob", 3600, ROOM), ROOM);
    alice.next("peer-joined");
    String offer = "{\"type\":\"sdp\",\"target\":\"" + alice.id() + "\",\"sdp\":{\"type\":\"offer\"}}";
    send(bob, offer);
    assertEquals(offer.substring(0, offer.length() - 1) + ",\"from\":\"" + bob.id() + "\",\"fromUser\":\"bob\"}",
        alice.socket().nextText(WAIT));
    send(bob, new JsonObject().put("type", "ice-candidate").put("target", alice.id()).put("from", "mallory")
        .put("fromUser", "mallory"));
    assertEquals(new JsonObject().put("type", "ice-candidate").put("target", alice.id()).put("from", bob.id())
        .put("fromUser", "bob"), alice.next());
    send(bob, new JsonObject().put("type", "broadcast").put("fromUser", "mallory").put("data", "hi"));
    assertEquals(new JsonObject().put("type", "broadcast").put("room", ROOM).put("from", bob.id())
        .put("fromUser", "bob").put("data", "hi"), alice.next());
  }

  @Test
  void aRelayToAnotherGatewayCarriesTheSendersUserInItsFrame() throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "carol", "gateway-b", "carol");
    Client alice = joined(user("alice \"the first\"", 3600, ROOM), ROOM);
    send(alice, new JsonObject().put("type", "sdp").put("target", "carol"));
    JsonObject relayed = new JsonObject(cluster.remote().get(0).delivery().frame());
    assertEquals(new JsonObject().put("type", "sdp").put("target", "carol").put("from", alice.id())
        .put("fromUser", "alice \"the first\""), relayed);
  }

  @Test
  void inOpenModeNoFrameNamesAUserAndAForgedOneIsDropped() throws InterruptedException {
    Client alice = connect(Grants.open());
    send(alice, join(ROOM));
    assertEquals(new JsonObject().put("type", "joined").put("room", ROOM).put("id", alice.id())
        .put("peers", new JsonArray()), alice.next());
    Client bob = joined(Grants.open(), ROOM);
    assertEquals(new JsonObject().put("type", "peer-joined").put("room", ROOM).put("data", bob.id()), alice.next());
    send(bob, new JsonObject().put("type", "sdp").put("target", alice.id()).put("fromUser", "mallory"));
    assertEquals(new JsonObject().put("type", "sdp").put("target", alice.id()).put("from", bob.id()), alice.next());
    send(bob, new JsonObject().put("type", "broadcast").put("data", 1));
    assertEquals(new JsonObject().put("type", "broadcast").put("room", ROOM).put("from", bob.id()).put("data", 1),
        alice.next());
  }

  @Test
  void turnCredentialsGoOnlyToAuthenticatedPeers() {
    assertEquals(new JsonArray().add(STUN), connect(Grants.open()).welcome().getJsonArray("iceServers"));
    JsonObject turn = new JsonObject().put("urls", new JsonArray().add("turn:turn.example.org"))
        .put("username", "turn-user").put("credential", "turn-password");
    assertEquals(new JsonArray().add(STUN).add(turn),
        connect(user("alice", 3600)).welcome().getJsonArray("iceServers"));
  }

  @Test
  void theConnectionIsWarnedBeforeItsTokenExpiresThenClosedWith4001() throws Exception {
    Client bob = joined(user("bob", 3600, ROOM), ROOM);
    // Made once the sessions' code is loaded: a first session can take a while on a busy machine.
    Grants expiring = user("alice", 3, ROOM);
    Client alice = joined(expiring, ROOM);
    assertEquals(new JsonObject().put("type", "token-expiring").put("exp", expiring.exp()),
        alice.next("token-expiring"));
    alice.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(System.currentTimeMillis() >= expiring.exp() * 1000, "closed before exp");
    assertEquals(Short.valueOf((short) 4001), alice.socket().closeStatus());
    assertEquals("token-expired", alice.socket().closeReason());
    assertEquals(presence("peer-left", alice.id(), "alice"), bob.next("peer-left"));
  }

  @Test
  void aRefreshAnswersRefreshedAndTheOldExpiryNoLongerClosesTheConnection() throws Exception {
    joined(user("bob", 3600, ROOM), ROOM);
    // Made once the sessions' code is loaded: a first session can take a while on a busy machine.
    Client alice = joined(user("alice", 3, ROOM), ROOM);
    // Carol's token expires a second after alice's first one: her departure comes after that moment.
    Client carol = joined(user("carol", 4, ROOM), ROOM);
    send(alice, refresh(token("alice", ROOM)));
    JsonObject refreshed = alice.next("refreshed");
    assertTrue(refreshed.getLong("exp") >= System.currentTimeMillis() / 1000 + 3500, refreshed.encode());
    assertEquals(new JsonObject().put("type", "refreshed").put("exp", refreshed.getLong("exp")), refreshed);
    carol.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(presence("peer-left", carol.id(), "carol"), alice.next("peer-left"));
    assertNull(alice.socket().closeStatus());
  }

  @Test
  void aRefreshIsRefusedForAnotherUsersTokenAnInvalidOneAndNone() throws InterruptedException {
    Client alice = joined(user("alice", 3600, ROOM), ROOM);
    send(alice, refresh(token("bob", ROOM)));
    assertEquals(error("forbidden", "The token is for another user than this connection's"), alice.next());
    send(alice, refresh("not-a-token"));
    assertEquals("unauthorized", alice.next().getString("code"));
    send(alice, new JsonObject().put("type", "refresh"));
    assertEquals(error("bad-request", "'refresh' needs a string field 'token'"), alice.next());
    send(alice, new JsonObject().put("type", "sdp").put("target", "nobody"));
    assertEquals("unknown-peer", alice.next().getString("code"));
    assertNull(alice.socket().closeStatus());
  }

  @Test
  void aRefreshedTokenThatNoLongerAllowsTheRoomTakesTheConnectionOutOfIt() throws InterruptedException {
    Client alice = joined(user("alice", 3600, ROOM), ROOM);
    Client bob = joined(user("bob", 3600, ROOM), ROOM);
    send(alice, refresh(token("alice", "elsewhere")));
    assertEquals("refreshed", alice.next("refreshed").getString("type"));
    assertEquals(new JsonObject().put("type", "left").put("room", ROOM).put("reason", "forbidden"), alice.next());
    assertEquals(presence("peer-left", alice.id(), "alice"), bob.next("peer-left"));
    send(alice, join("elsewhere"));
    assertEquals("elsewhere", alice.next().getString("room"));
  }

  @Test
  void aConnectionWhoseAccessDoesNotExpireHasNothingToRefresh() throws InterruptedException {
    Client open = connect(Grants.open());
    send(open, refresh(token("alice")));
    assertEquals(error("bad-request", "Nothing to refresh: this connection's access does not expire"), open.next());
  }
}
