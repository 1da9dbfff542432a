package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.auth.TokenMint;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-address limit, {@code LIMIT_CONNECTIONS_PER_IP}, on a real gateway on loopback. */
class PerAddressLimitTest {

  private static final String LOOPBACK = "127.0.0.1";

  private final Vertx vertx = Vertx.vertx();
  private final Vertx clients = Vertx.vertx();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable client : open) {
      client.close();
    }
    TestCluster.await(clients.close());
    TestCluster.await(vertx.close());
  }

  private GatewayVerticle gateway(Map<String, String> env) {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    return GatewayTestSupport.deploy(vertx, TestConfigs.gateway(env), FixedClusterView.joinedNode());
  }

  private RawClient raw(int port) {
    RawClient client = RawClient.connect(port);
    open.add(client);
    return client;
  }

  @Test
  void anAddressOverItsLimitGets429ForAWebSocketAndForAStreamUntilOneOfItsConnectionsCloses() {
    GatewayVerticle gateway = gateway(Map.of("LIMIT_CONNECTIONS_PER_IP", "2"));
    int port = gateway.actualPort();
    TestSocket ws = TestSocket.connect(clients, port, "/ws/echo");
    RawClient stream = raw(port);
    assertEquals(200, stream.get("/api/cluster/stream").status());

    RawClient.Response refusedUpgrade = raw(port).upgrade("/ws/echo");
    assertEquals(429, refusedUpgrade.status());
    assertEquals("too-many-connections", refusedUpgrade.json().getString("code"));
    assertEquals("1", refusedUpgrade.headers().get("retry-after"));
    RawClient.Response refusedStream = raw(port).get("/api/cluster/stream");
    assertEquals(429, refusedStream.status());
    assertEquals("too-many-connections", refusedStream.json().getString("code"));
    assertEquals("1", refusedStream.headers().get("retry-after"));
    assertEquals(429, raw(port).upgrade("/ws/signaling").status());
    // The head of a stream answers as its GET would: refused as well.
    RawClient.Response refusedHead = raw(port).head("/sse/prices");
    assertEquals(429, refusedHead.status());
    assertEquals("1", refusedHead.headers().get("retry-after"));

    ws.close();
    awaitCount(gateway, 1, Duration.ofSeconds(1), "a closed WebSocket stops counting within 1 s");
    try (TestSocket again = TestSocket.connect(clients, port, "/ws/echo")) {
      again.send("hello");
      assertEquals("Server received: hello", again.nextText());
    }
    stream.close();
    awaitCount(gateway, 0, Duration.ofSeconds(1), "a closed stream stops counting within 1 s");
  }

  @Test
  void anAddressAtItsLimitIsStillToldThatATopicIsBadOrNotAllowed() {
    String secret = "a-test-secret-that-is-32-bytes-long!";
    GatewayVerticle gateway = gateway(Map.of("LIMIT_CONNECTIONS_PER_IP", "1", "LIMIT_CONNECTIONS_PER_USER", "0",
        "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", secret));
    int port = gateway.actualPort();
    String token = new TokenMint(vertx, secret, null, null).mint(new TokenMint.Claims("alice",
        Duration.ofMinutes(5), List.of("chat.*"), List.of(), List.of(), true));
    // The address's one stream; the cluster view's, which stays open without an sse-service.
    assertEquals(200, raw(port).get("/api/cluster/stream?token=" + token).status());

    RawClient.Response forbidden = raw(port).get("/sse/news?token=" + token);
    assertEquals(403, forbidden.status(), "a topic the token does not allow is forbidden, not over the limit");
    assertEquals("forbidden", forbidden.json().getString("code"));
    RawClient.Response badTopic = raw(port).get("/sse/bad%20topic?token=" + token);
    assertEquals(400, badTopic.status());
    assertEquals("bad-topic", badTopic.json().getString("code"));
    RawClient.Response overLimit = raw(port).get("/sse/chat.b?token=" + token);
    assertEquals(429, overLimit.status(), "an allowed topic over the limit");
    assertEquals(1, gateway.connectionLimits().countOf(LOOPBACK), "the refused requests were never counted");
  }

  @Test
  void plainRequestsAreNotCountedAgainstTheAddress() {
    GatewayVerticle gateway = gateway(Map.of("LIMIT_CONNECTIONS_PER_IP", "1"));
    int port = gateway.actualPort();
    assertEquals(101, raw(port).upgrade("/ws/echo").status());
    RawClient plain = raw(port);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, plain.get("/health").status());
    }
  }

  @Test
  void forwardedForNamesTheClientOnlyBehindATrustedProxy() {
    GatewayVerticle trusting = gateway(Map.of("LIMIT_CONNECTIONS_PER_IP", "1", "TRUSTED_PROXIES", "127.0.0.0/8"));
    int port = trusting.actualPort();
    assertEquals(101, raw(port).upgrade("/ws/echo", "X-Forwarded-For: 203.0.113.5").status());
    assertEquals(101, raw(port).upgrade("/ws/echo", "X-Forwarded-For: 203.0.113.6").status());
    // What the client wrote itself, left of what the proxy appended, proves nothing.
    assertEquals(429, raw(port).upgrade("/ws/echo", "X-Forwarded-For: 198.51.100.1, 203.0.113.5").status());
    assertEquals(1, trusting.connectionLimits().countOf("203.0.113.5"));
  }

  @Test
  void forwardedForIsIgnoredFromAPeerThatIsNoTrustedProxy() {
    GatewayVerticle gateway = gateway(Map.of("LIMIT_CONNECTIONS_PER_IP", "1"));
    int port = gateway.actualPort();
    assertEquals(101, raw(port).upgrade("/ws/echo", "X-Forwarded-For: 203.0.113.5").status());
    assertEquals(429, raw(port).upgrade("/ws/echo", "X-Forwarded-For: 203.0.113.6").status());
    assertEquals(1, gateway.connectionLimits().countOf(LOOPBACK));
  }

  @Test
  void openModeLetsOneAddressOpenManyConnections() {
    GatewayVerticle gateway = gateway(Map.of());
    int port = gateway.actualPort();
    for (int i = 0; i < 100; i++) {
      assertEquals(101, raw(port).upgrade("/ws/echo").status());
    }
    assertEquals(0, gateway.connectionLimits().countOf(LOOPBACK), "nothing is counted when the limit is off");
  }

  private static void awaitCount(GatewayVerticle gateway, int count, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (gateway.connectionLimits().countOf(LOOPBACK) != count) {
      assertTrue(System.nanoTime() < deadline, what + "; still " + gateway.connectionLimits().countOf(LOOPBACK));
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
