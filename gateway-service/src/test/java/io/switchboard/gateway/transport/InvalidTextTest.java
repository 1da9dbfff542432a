package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.CloseCode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A text message that is not UTF-8 closes the WebSocket with 1007, on every endpoint. */
class InvalidTextTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  /** A lead byte of a two-byte sequence followed by a byte that cannot continue it. */
  private static final byte[] NOT_UTF8 = {(byte) 0xc3, (byte) 0x28};

  private final Vertx vertx = Vertx.vertx();
  private int port;

  @BeforeEach
  void start() {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    port = GatewayTestSupport.deploy(vertx).actualPort();
  }

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aTextFrameThatIsNotUtf8ClosesEchoAndSignalingWith1007() {
    for (String path : new String[] {"/ws/echo", "/ws/signaling"}) {
      try (RawClient client = RawClient.connect(port)) {
        assertEquals(101, client.upgrade(path).status());
        client.sendFrame(RawClient.TEXT, true, NOT_UTF8);
        assertEquals(CloseCode.INVALID_PAYLOAD.code(), closeStatus(client), path);
      }
    }
  }

  @Test
  void aFragmentedTextMessageWhoseLastFragmentIsNotUtf8ClosesWith1007() {
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(101, client.upgrade("/ws/echo").status());
      client.sendFrame(RawClient.TEXT, false, "fine so far ".getBytes(StandardCharsets.UTF_8));
      client.sendFrame(RawClient.CONTINUATION, true, NOT_UTF8);
      assertEquals(CloseCode.INVALID_PAYLOAD.code(), closeStatus(client));
    }
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsValidText() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(101, client.upgrade("/ws/echo").status());
      client.sendFrame(RawClient.TEXT, false, new byte[] {euro[0]});
      client.sendFrame(RawClient.CONTINUATION, true, new byte[] {euro[1], euro[2]});
      RawClient.Frame reply = client.readFrame(WAIT);
      assertEquals(RawClient.TEXT, reply.opcode());
      assertEquals("Server received: €", new String(reply.payload(), StandardCharsets.UTF_8));
    }
  }

  /** The status of the close frame the server sends, after any frames before it. */
  private static int closeStatus(RawClient client) {
    while (true) {
      RawClient.Frame frame = client.readFrame(WAIT);
      if (frame.opcode() == RawClient.CLOSE) {
        return frame.closeStatus();
      }
    }
  }
}
