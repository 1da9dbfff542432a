package io.switchboard.gateway.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.echo.EchoBatch;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
class EchoSocketTest {

  private Vertx vertx;
  private Vertx clients;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    TestCluster.await(clients.close());
  }

  private GatewayVerticle gatewayWithEcho() {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    return GatewayTestSupport.deploy(vertx);
  }

  @Test
  void textIsAnsweredByTheEchoService() {
    GatewayVerticle gateway = gatewayWithEcho();
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      socket.send("hello");
      assertEquals("Server received: hello", socket.nextText());
    }
  }

  @Test
  void binaryIsAnsweredWithTheSameBytes() {
    GatewayVerticle gateway = gatewayWithEcho();
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      Buffer bytes = Buffer.buffer(new byte[] {1, 2, 3, 0, (byte) 200});
      socket.sendBinary(bytes);
      assertEquals(bytes, socket.nextBinary(Duration.ofSeconds(10)));
    }
  }

  @Test
  void repliesKeepTheOrderOfMessages() {
    GatewayVerticle gateway = gatewayWithEcho();
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      int count = 2000;
      for (int i = 0; i < count; i++) {
        socket.send("m" + i);
      }
      for (int i = 0; i < count; i++) {
        assertEquals("Server received: m" + i, socket.nextText());
      }
    }
  }

  @Test
  void repliesKeepOrderWhenLaterRequestsAreAnsweredFirst() {
    // An echo stand-in that answers odd messages at once and even ones later, the way two echo
    // instances with different load would; the gateway must still write replies in order. One
    // message per batch, so that every message is a request of its own.
    vertx.eventBus().<Buffer>consumer(Addresses.ECHO_BATCH, message -> {
      String text = (String) EchoBatch.decode(message.body()).get(0);
      long delay = Integer.parseInt(text.substring(1)) % 2 == 0 ? 50 : 1;
      vertx.setTimer(delay, id ->
          message.reply(new EchoBatch().addText("Server received: " + text).toBuffer()));
    });
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx,
        TestConfigs.gateway(Map.of("ECHO_BATCH_MAX_MESSAGES", "1")), FixedClusterView.joinedNode());
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      for (int i = 0; i < 100; i++) {
        socket.send("m" + i);
      }
      for (int i = 0; i < 100; i++) {
        assertEquals("Server received: m" + i, socket.nextText());
      }
    }
  }

  @Test
  void messagesOfManyConnectionsTravelInSharedBatchesAndEachGetsItsOwnReply() {
    List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<Buffer>consumer(Addresses.ECHO_BATCH, message -> {
      EchoBatch replies = new EchoBatch();
      EchoBatch.read(message.body(), (kind, bytes, start, length) -> replies.add(kind,
          "Server received: ".getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes, start, length));
      batchSizes.add(replies.count());
      message.reply(replies.toBuffer());
    });
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    List<TestSocket> sockets = new ArrayList<>();
    try {
      for (int c = 0; c < 4; c++) {
        sockets.add(TestSocket.connect(clients, gateway.actualPort(), "/ws/echo"));
      }
      for (int i = 0; i < 200; i++) {
        for (int c = 0; c < sockets.size(); c++) {
          sockets.get(c).send("c" + c + " m" + i);
        }
      }
      for (int c = 0; c < sockets.size(); c++) {
        for (int i = 0; i < 200; i++) {
          assertEquals("Server received: c" + c + " m" + i, sockets.get(c).nextText());
        }
      }
      assertEquals(800, batchSizes.stream().mapToInt(Integer::intValue).sum());
      assertTrue(batchSizes.size() < 800, "every message travelled alone: " + batchSizes.size() + " batches");
    } finally {
      sockets.forEach(TestSocket::close);
    }
  }

  @Test
  void aBatchAnsweredWithTheWrongNumberOfRepliesGivesInternalErrorsAndKeepsTheConnection() {
    vertx.eventBus().<Buffer>consumer(Addresses.ECHO_BATCH,
        message -> message.reply(new EchoBatch().toBuffer()));
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      socket.send("lost?");
      JsonObject error = socket.nextJson();
      assertEquals("internal", error.getString("code"));
      assertFalse(socket.isClosed());
    }
  }

  @Test
  void noEchoServiceGivesAnErrorFrameAndKeepsTheConnection() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      socket.send("anyone?");
      JsonObject error = socket.nextJson();
      assertEquals("error", error.getString("type"));
      assertEquals("service-unavailable", error.getString("code"));
      assertFalse(socket.isClosed());

      TestCluster.await(vertx.deployVerticle(new EchoVerticle("late-echo")));
      socket.send("now?");
      assertEquals("Server received: now?", socket.nextText());
    }
  }

  @Test
  void echoThatDoesNotAnswerGivesTimeoutErrorWithinTheConfiguredTimeout() {
    vertx.eventBus().consumer(Addresses.ECHO_BATCH, message -> {
      // Registered but silent.
    });
    GatewayConfig config = TestConfigs.gateway(Map.of("ECHO_TIMEOUT_MS", "300"));
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx, config, FixedClusterView.joinedNode());
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      long started = System.nanoTime();
      socket.send("hello?");
      JsonObject error = socket.nextJson(Duration.ofSeconds(5));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals("timeout", error.getString("code"));
      assertTrue(error.getString("message").contains("300 ms"), error.getString("message"));
      assertTrue(elapsedMs >= 250, "error came before the timeout: " + elapsedMs + " ms");
      assertFalse(socket.isClosed());
    }
  }

  @Test
  void oversizedMessageClosesWith1009AndOthersAreUnaffected() {
    GatewayVerticle gateway = gatewayWithEcho();
    try (TestSocket big = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo");
         TestSocket other = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      big.send("x".repeat(65536 + 1));
      assertEquals((short) 1009, big.awaitClose(Duration.ofSeconds(10)));
      other.send("still here");
      assertEquals("Server received: still here", other.nextText());
    }
  }

  @Test
  @Timeout(60)
  void refusedFrameGetsItsCloseFrameThroughEvenWhileTheClientIsStillSending() throws Exception {
    withNativeTransport(lingering(10_000), gateway -> {
      for (int round = 0; round < 20; round++) {
        try (RawWebSocket raw = RawWebSocket.connect(gateway.actualPort(), "/ws/echo")) {
          // The rest of the refused frame is on its way when the gateway refuses its header:
          // the gateway must drop it and close cleanly rather than reset the connection, or the
          // client may lose the close frame that says why.
          long start = System.nanoTime();
          raw.sendOversizedFrame(70_000, 70_000);
          assertEquals(1009, RawWebSocket.closeStatus(raw.readUntilClosed()), "round " + round);
          // The gateway ended its side once the close frame had left, not at the end of the linger.
          assertClosedWellBeforeTheLinger(start, round);
        }
      }
    });
  }

  @Test
  @Timeout(60)
  void refusedSignalingFrameGetsTooLargeAndItsCloseFrameThrough() throws Exception {
    withNativeTransport(lingering(10_000), gateway -> {
      for (int round = 0; round < 20; round++) {
        try (RawWebSocket raw = RawWebSocket.connect(gateway.actualPort(), "/ws/signaling")) {
          long start = System.nanoTime();
          raw.sendOversizedFrame(70_000, 70_000);
          byte[] frames = raw.readUntilClosed();
          assertTrue(new String(frames, java.nio.charset.StandardCharsets.UTF_8)
              .contains("\"code\":\"too-large\""), "round " + round);
          assertEquals(1009, RawWebSocket.closeStatus(frames), "round " + round);
          assertClosedWellBeforeTheLinger(start, round);
        }
      }
    });
  }

  @Test
  @Timeout(60)
  void frameBreakingTheFramingClosesWith1002() throws Exception {
    withNativeTransport(lingering(10_000), gateway -> {
      for (String path : List.of("/ws/echo", "/ws/signaling")) {
        try (RawWebSocket raw = RawWebSocket.connect(gateway.actualPort(), path)) {
          // A client frame must be masked; this one is not.
          raw.sendRaw(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
          assertEquals(1002, RawWebSocket.closeStatus(raw.readUntilClosed()), path);
        }
      }
    });
  }

  @Test
  @Timeout(60)
  void clientThatKeepsSendingAfterARefusedFrameIsClosedOnceTheLingerIsOver() throws Exception {
    withNativeTransport(lingering(300), gateway -> {
      try (RawWebSocket raw = RawWebSocket.connect(gateway.actualPort(), "/ws/echo")) {
        long start = System.nanoTime();
        raw.sendOversizedFrame(1L << 40, 16 * 1024);
        assertTrue(raw.sendFillerUntilClosed(Duration.ofSeconds(20)), "still open after 20 s");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 250, "closed before the linger was over: " + elapsedMs + " ms");
      }
    });
  }

  private static GatewayConfig lingering(int millis) {
    return TestConfigs.gateway(Map.of("WS_CLOSE_LINGER_MS", String.valueOf(millis)));
  }

  private static void assertClosedWellBeforeTheLinger(long startNanos, int round) {
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    assertTrue(elapsedMs < 5_000, "round " + round + ": closed after " + elapsedMs + " ms");
  }

  /** Runs {@code body} against a gateway and echo-service on the transport they use by default. */
  private static void withNativeTransport(GatewayConfig config, ThrowingConsumer<GatewayVerticle> body)
      throws Exception {
    Vertx epoll = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
    try {
      org.junit.jupiter.api.Assumptions.assumeTrue(epoll.isNativeTransportEnabled(),
          "native transport unavailable");
      TestCluster.await(epoll.deployVerticle(new EchoVerticle("echo-node")));
      body.accept(GatewayTestSupport.deploy(epoll, config, FixedClusterView.joinedNode()));
    } finally {
      TestCluster.await(epoll.close());
    }
  }

  private interface ThrowingConsumer<T> {
    void accept(T value) throws Exception;
  }

  @Test
  void oversizedFragmentedMessageClosesWith1009() {
    GatewayVerticle gateway = gatewayWithEcho();
    io.vertx.core.http.WebSocketClient client = clients.createWebSocketClient(
        new io.vertx.core.http.WebSocketClientOptions().setMaxFrameSize(8192));
    java.util.concurrent.CompletableFuture<Short> status = new java.util.concurrent.CompletableFuture<>();
    io.vertx.core.http.WebSocket ws = TestCluster.awaitOn(clients, () ->
        client.connect(gateway.actualPort(), "127.0.0.1", "/ws/echo").map(connected -> {
          connected.closeHandler(v -> status.complete(connected.closeStatusCode()));
          return connected;
        }));
    ws.writeTextMessage("y".repeat(70_000));
    assertEquals((short) 1009, status.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
  }

  @Test
  void compressionIsNotNegotiatedUnlessEnabled() {
    TestCluster.await(vertx.deployVerticle(new EchoVerticle("echo-node")));
    io.vertx.core.http.WebSocketClient client = clients.createWebSocketClient(
        new io.vertx.core.http.WebSocketClientOptions().setTryUsePerMessageCompression(true));
    GatewayVerticle plain = GatewayTestSupport.deploy(vertx);
    io.vertx.core.http.WebSocket ws = TestCluster.awaitOn(clients,
        () -> client.connect(plain.actualPort(), "127.0.0.1", "/ws/echo"));
    assertEquals(null, ws.headers().get("sec-websocket-extensions"));
    TestCluster.await(ws.close());

    GatewayConfig compressing = TestConfigs.gateway(Map.of("WS_COMPRESSION", "true"));
    GatewayVerticle deflating = GatewayTestSupport.deploy(vertx, compressing, FixedClusterView.joinedNode());
    java.util.concurrent.CompletableFuture<String> reply = new java.util.concurrent.CompletableFuture<>();
    ws = TestCluster.awaitOn(clients, () -> client.connect(deflating.actualPort(), "127.0.0.1", "/ws/echo")
        .map(connected -> connected.textMessageHandler(reply::complete)));
    assertTrue(String.valueOf(ws.headers().get("sec-websocket-extensions")).contains("permessage-deflate"));
    ws.writeTextMessage("squeezed");
    assertEquals("Server received: squeezed", reply.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
  }

  @Test
  void shutdownClosesWebSocketsWithGoingAway() {
    GatewayVerticle gateway = gatewayWithEcho();
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      socket.send("hi");
      assertEquals("Server received: hi", socket.nextText());
      TestCluster.await(vertx.undeploy(gateway.deploymentID()));
      assertEquals((short) 1001, socket.awaitClose(Duration.ofSeconds(10)));
    }
  }

  @Test
  void plainHttpRequestToTheSocketPathGetsBadRequest() {
    GatewayVerticle gateway = gatewayWithEcho();
    var client = io.vertx.ext.web.client.WebClient.create(clients);
    var response = TestCluster.awaitOn(clients, () -> client.get(gateway.actualPort(), "127.0.0.1", "/ws/echo").send());
    assertEquals(400, response.statusCode());
    assertEquals("bad-request", response.bodyAsJsonObject().getString("code"));
  }
}
