package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pings on every WebSocket ({@code WS_PING_INTERVAL_MS}) and the close of clients that never answer. */
class WebSocketPingsTest {

  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private int port;

  @BeforeEach
  void start() {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    port = GatewayTestSupport.deploy(vertx, TestConfigs.gateway(Map.of(
        "WS_PING_INTERVAL_MS", String.valueOf(INTERVAL.toMillis()))), FixedClusterView.joinedNode())
        .actualPort();
  }

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void pingsKeepArrivingOnEveryEndpointWhileTheClientAnswersThem() {
    for (String path : new String[] {"/ws/echo", "/ws/signaling"}) {
      try (RawClient client = RawClient.connect(port)) {
        assertEquals(101, client.upgrade(path).status());
        // More periods than a client that does not answer is given: answered pings keep it open.
        for (int pings = 0; pings < 6; ) {
          RawClient.Frame frame = client.readFrame(WAIT);
          if (frame.opcode() == RawClient.PING) {
            pings++;
            client.sendFrame(RawClient.PONG, true, frame.payload());
          }
        }
      }
    }
  }

  @Test
  void aClientThatAnswersNoPingIsClosedWhileOneThatAnswersStays() {
    try (RawClient silent = RawClient.connect(port); RawClient answering = RawClient.connect(port)) {
      assertEquals(101, silent.upgrade("/ws/echo").status());
      assertEquals(101, answering.upgrade("/ws/echo").status());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!silent.closedWithin(Duration.ofMillis(20))) {
        assertTrue(System.nanoTime() < deadline, "the client that never answers is closed");
        answerPings(answering, Duration.ofMillis(20));
      }
      answering.sendFrame(RawClient.TEXT, true, "still here".getBytes(StandardCharsets.UTF_8));
      RawClient.Frame reply = answerPingsUntilData(answering);
      assertEquals("Server received: still here", new String(reply.payload(), StandardCharsets.UTF_8));
    }
  }

  /** Answers the pings that arrive within {@code wait}, if any. */
  private static void answerPings(RawClient client, Duration wait) {
    try {
      RawClient.Frame frame = client.readFrame(wait);
      if (frame.opcode() == RawClient.PING) {
        client.sendFrame(RawClient.PONG, true, frame.payload());
      }
    } catch (AssertionError nothingYet) {
      // No frame within the wait.
    }
  }

  private static RawClient.Frame answerPingsUntilData(RawClient client) {
    while (true) {
      RawClient.Frame frame = client.readFrame(WAIT);
      if (frame.opcode() == RawClient.PING) {
        client.sendFrame(RawClient.PONG, true, frame.payload());
      } else {
        return frame;
      }
    }
  }
}
