package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway total, {@code LIMIT_CONNECTIONS}: every connection counts, one waiting for a request
 * makes room for a new one, and a connection beyond it gets {@code 503 server-full}.
 */
class GatewayTotalTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable client : open) {
      client.close();
    }
    TestCluster.await(vertx.close());
  }

  /** A gateway on one event loop, so that connections are accepted in the order they are made. */
  private int gateway(Map<String, String> env) {
    Map<String, String> variables = new HashMap<>(env);
    variables.put("GATEWAY_EVENT_LOOPS", "1");
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    return GatewayTestSupport.deploy(vertx, TestConfigs.gateway(variables), FixedClusterView.joinedNode())
        .actualPort();
  }

  private RawClient raw(int port) {
    RawClient client = RawClient.connect(port);
    open.add(client);
    return client;
  }

  @Test
  void aWebSocketOrStreamBeyondTheTotalGets503ServerFullWithRetryAfter() {
    int port = gateway(Map.of("LIMIT_CONNECTIONS", "2"));
    assertEquals(101, raw(port).upgrade("/ws/echo").status());
    assertEquals(200, raw(port).get("/api/cluster/stream").status());

    RawClient.Response upgrade = raw(port).upgrade("/ws/echo");
    assertEquals(503, upgrade.status());
    assertEquals("server-full", upgrade.json().getString("code"));
    assertEquals("close", upgrade.headers().get("connection"));
    assertEquals("1", upgrade.headers().get("retry-after"));
    RawClient.Response stream = raw(port).get("/sse/prices");
    assertEquals(503, stream.status());
    assertEquals("server-full", stream.json().getString("code"));
    assertEquals("1", stream.headers().get("retry-after"));
  }

  /** server-full comes after the origin check, with the CORS headers any other answer gets. */
  @Test
  void serverFullIsReadableByAnAllowedOriginAndAnOriginNotAllowedGetsBadOrigin() {
    int port = gateway(Map.of("LIMIT_CONNECTIONS", "1", "ALLOWED_ORIGINS", "https://app.example"));
    assertEquals(200, raw(port).get("/api/cluster/stream").status());

    RawClient.Response allowed = raw(port).get("/api/topics/prices/events", "Origin: https://app.example");
    assertEquals(503, allowed.status());
    assertEquals("server-full", allowed.json().getString("code"));
    assertEquals("https://app.example", allowed.headers().get("access-control-allow-origin"));
    assertTrue(allowed.headers().get("access-control-expose-headers").contains("Retry-After"));
    assertEquals("1", allowed.headers().get("retry-after"));
    assertEquals("close", allowed.headers().get("connection"));

    RawClient foreignClient = raw(port);
    RawClient.Response foreign = foreignClient.get("/api/topics/prices/events", "Origin: https://elsewhere.example");
    assertEquals(403, foreign.status());
    assertEquals("bad-origin", foreign.json().getString("code"));
    // Answered, the connection beyond the limit is closed, whichever answer it got.
    assertTrue(foreignClient.closedWithin(Duration.ofSeconds(5)), "the refused connection closes");
  }

  @Test
  void aNewConnectionClosesTheOneThatWaitedLongestForARequest() {
    int port = gateway(Map.of("LIMIT_CONNECTIONS", "3"));
    assertEquals(101, raw(port).upgrade("/ws/echo").status());
    RawClient silent = raw(port);
    RawClient idle = raw(port);
    assertEquals(200, idle.get("/health").status());
    // The idle one answered a request after the silent one was accepted: it waits less long.
    assertEquals(200, raw(port).get("/health").status());
    assertTrue(silent.closedWithin(Duration.ofSeconds(10)), "the longest waiting connection made room");
    assertEquals(200, idle.get("/health").status(), "the one that waited less is still open");
  }

  @Test
  void manySilentConnectionsDoNotKeepHealthFromAnswering() {
    int port = gateway(Map.of("LIMIT_CONNECTIONS", "20"));
    for (int i = 0; i < 200; i++) {
      raw(port);
    }
    RawClient health = raw(port);
    assertEquals(200, health.get("/health").status());
    assertFalse(health.closedWithin(Duration.ofMillis(100)), "the answered connection stays");
  }
}
