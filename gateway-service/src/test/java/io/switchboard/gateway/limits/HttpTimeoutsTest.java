package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request timeouts of plain connections, {@code HTTP_HEADER_TIMEOUT_MS} and
 * {@code HTTP_IDLE_TIMEOUT_MS}, which WebSockets and streams are free of.
 */
class HttpTimeoutsTest {

  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
  private static final Duration IDLE_TIMEOUT = Duration.ofMillis(800);
  /** Room for a loaded test machine on top of a timeout. */
  private static final Duration SLACK = Duration.ofSeconds(5);

  private final Vertx vertx = Vertx.vertx();
  private final Vertx clients = Vertx.vertx();
  private final List<AutoCloseable> open = new ArrayList<>();
  private int port;

  @BeforeEach
  void start() {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    port = GatewayTestSupport.deploy(vertx, TestConfigs.gateway(Map.of(
        "HTTP_HEADER_TIMEOUT_MS", String.valueOf(HEADER_TIMEOUT.toMillis()),
        "HTTP_IDLE_TIMEOUT_MS", String.valueOf(IDLE_TIMEOUT.toMillis()))), FixedClusterView.joinedNode())
        .actualPort();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable client : open) {
      client.close();
    }
    TestCluster.await(clients.close());
    TestCluster.await(vertx.close());
  }

  private RawClient raw() {
    RawClient client = RawClient.connect(port);
    open.add(client);
    return client;
  }

  @Test
  void connectionsTricklingTheirHeadersAreClosedWhileHealthKeepsAnswering() {
    List<RawClient> slow = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      RawClient client = raw();
      client.sendRaw("GET /health HTTP/1.1\r\nHost: x\r\n");
      slow.add(client);
    }
    long deadline = System.nanoTime() + HEADER_TIMEOUT.plus(SLACK).toNanos();
    int closed = 0;
    for (int round = 0; closed < slow.size(); round++) {
      assertTrue(System.nanoTime() < deadline, closed + " of " + slow.size() + " slow clients closed");
      closed = 0;
      for (RawClient client : slow) {
        // One more byte of a header that never ends, as slowloris does.
        client.sendRaw("X".getBytes(StandardCharsets.US_ASCII));
        closed += client.closedWithin(Duration.ofMillis(1)) ? 1 : 0;
      }
      assertEquals(200, raw().get("/health").status(), "health answers a new client in round " + round);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() {
    assertTrue(raw().closedWithin(HEADER_TIMEOUT.plus(SLACK)));
  }

  @Test
  void aKeepAliveConnectionIsClosedAfterTheIdleTimeoutAndServesRequestsUntilThen() {
    RawClient client = raw();
    assertEquals(200, client.get("/health").status());
    assertEquals(200, client.get("/health").status());
    assertTrue(client.closedWithin(IDLE_TIMEOUT.plus(SLACK)));
  }

  @Test
  void webSocketsAndStreamsOutliveBothTimeouts() {
    TestSocket ws = TestSocket.connect(clients, port, "/ws/echo");
    open.add(ws);
    RawClient stream = raw();
    assertEquals(200, stream.get("/api/cluster/stream").status());
    // Opened after the WebSocket and the stream: once both are closed, their timeouts have passed.
    RawClient silent = raw();
    RawClient idle = raw();
    assertEquals(200, idle.get("/health").status());
    assertTrue(silent.closedWithin(HEADER_TIMEOUT.plus(SLACK)));
    assertTrue(idle.closedWithin(IDLE_TIMEOUT.plus(SLACK)));

    ws.send("still here");
    assertEquals("Server received: still here", ws.nextText());
    assertTrue(!stream.closedWithin(Duration.ofMillis(50)), "the stream is still open");
  }
}
