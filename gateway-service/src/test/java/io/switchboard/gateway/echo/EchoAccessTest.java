package io.switchboard.gateway.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FakeWebSocket;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.TestLoop;
import io.switchboard.gateway.auth.AuthConfig;
import io.switchboard.gateway.auth.Authenticator;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.Patterns;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.gateway.node.EchoConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token expiry on {@code /ws/echo} (docs/protocol.md): the warning, the close at expiry, and the
 * refresh, which on echo is recognised only on a connection whose token expires. The sessions run
 * on an event loop with the real echo service beside them.
 */
class EchoAccessTest {

  private static final String SECRET = "an-echo-test-secret-that-is-32-bytes";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final TestLoop loop = new TestLoop(context);
  private final EchoConfig config = TestConfigs.gateway().echo();
  private final SocketAuth socketAuth = new SocketAuth(TestCluster.await(Authenticator.create(vertx,
      AuthConfig.from(new Env(Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET))))), Duration.ofSeconds(1));
  private final TokenMint mint = new TokenMint(vertx, SECRET, null, null);
  private final EchoForwarder forwarder;

  EchoAccessTest() {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    forwarder = loop.call(() -> new EchoForwarder(context, vertx.eventBus(), config));
  }

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  /** A connected client; {@code closed} completes when its session ends. */
  private record Client(FakeWebSocket socket, CompletableFuture<Void> closed) {

    String next() throws InterruptedException {
      return socket.nextText(WAIT);
    }
  }

  private Client connect(Grants grants) {
    return loop.call(() -> {
      FakeWebSocket socket = new FakeWebSocket();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      new EchoSession(socket.socket(), forwarder, config, new RateMeter(), socketAuth.access(vertx, grants),
          () -> closed.complete(null)).start();
      return new Client(socket, closed);
    });
  }

  private void send(Client client, String... texts) {
    loop.call(() -> {
      for (String text : texts) {
        client.socket().receive(text);
      }
      return null;
    });
  }

  private static Grants user(String sub, long ttlSeconds) {
    return Grants.user(sub, System.currentTimeMillis() / 1000 + ttlSeconds, Patterns.none(), Patterns.none(),
        Patterns.none(), false);
  }

  private String refresh(String sub) {
    String token = mint.mint(new TokenMint.Claims(sub, Duration.ofHours(1), List.of(), List.of(), List.of(), false));
    return new JsonObject().put("type", "refresh").put("token", token).encode();
  }

  @Test
  void aRefreshIsAnsweredInItsPlaceAmongTheEchoesAndEverythingElseIsEchoed() throws InterruptedException {
    Client alice = connect(user("alice", 3600));
    String other = "{\"type\":\"other\",\"note\":\"refresh\"}";
    send(alice, "one", refresh("alice"), "two", other, "{\"type\":\"refresh\"");
    assertEquals("Server received: one", alice.next());
    JsonObject refreshed = new JsonObject(alice.next());
    assertEquals("refreshed", refreshed.getString("type"));
    assertTrue(refreshed.getLong("exp") >= System.currentTimeMillis() / 1000 + 3500, refreshed.encode());
    assertEquals("Server received: two", alice.next());
    assertEquals("Server received: " + other, alice.next());
    // Not a JSON object: echoed like any other text.
    assertEquals("Server received: {\"type\":\"refresh\"", alice.next());
  }

  @Test
  void aRefreshWithAnotherUsersTokenIsForbidden() throws InterruptedException {
    Client alice = connect(user("alice", 3600));
    send(alice, refresh("bob"), "after");
    assertEquals(new JsonObject().put("type", "error").put("code", "forbidden")
        .put("message", "The token is for another user than this connection's"), new JsonObject(alice.next()));
    assertEquals("Server received: after", alice.next());
  }

  @Test
  void theConnectionIsWarnedBeforeItsTokenExpiresThenClosedWith4001() throws Exception {
    connect(user("warm-up", 3600));
    Grants expiring = user("alice", 3);
    Client alice = connect(expiring);
    assertEquals(new JsonObject().put("type", "token-expiring").put("exp", expiring.exp()),
        new JsonObject(alice.next()));
    alice.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(System.currentTimeMillis() >= expiring.exp() * 1000, "closed before exp");
    assertEquals(Short.valueOf((short) 4001), alice.socket().closeStatus());
    assertEquals("token-expired", alice.socket().closeReason());
  }

  @Test
  void withAccessThatDoesNotExpireARefreshIsEchoedLikeAnyText() throws InterruptedException {
    Client open = connect(Grants.open());
    String refresh = refresh("alice");
    send(open, refresh);
    assertEquals("Server received: " + refresh, open.next());
  }
}
