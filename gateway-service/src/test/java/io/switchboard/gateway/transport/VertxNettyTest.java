package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.gateway.RawClient;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Vert.x exposes neither the Netty pipeline behind a connection nor the bytes behind a buffer from
 * its API, and the names of its pipeline handlers are no contract either. These tests run real
 * connections through a real server so that an upgrade of Vert.x that changes any of it fails here,
 * by name, instead of silently turning off write coalescing, lingering close or the SSE fast path.
 */
class VertxNettyTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void reachesThePipelineOfAnHttp11ConnectionWithNettysEncoderRightBeforeVertxsHandler() {
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    int port = listen(request -> {
      seen.complete(Seen.of(request.connection()));
      request.response().end("ok");
    });
    HttpClient client = vertx.createHttpClient();
    String body = TestCluster.awaitOn(vertx, () -> client
        .request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(HttpClientResponse::body))).toString();
    assertEquals("ok", body);

    Seen http = seen.orTimeout(5, TimeUnit.SECONDS).join();
    assertNotNull(http.pipeline(), changed("the Netty pipeline is no longer reachable from an "
        + "HttpConnection (it was through io.vertx.core.net.impl.ConnectionBase)"));
    assertTrue(http.names().contains(VertxNetty.VERTX_HANDLER), changed("Vert.x's own handler is no "
        + "longer named \"" + VertxNetty.VERTX_HANDLER + "\" in an HTTP/1.1 pipeline " + http.names()));
    assertNotNull(http.encoder(), changed("Netty's HTTP/1.1 encoder is no longer \""
        + VertxNetty.HTTP_ENCODER + "\" directly before Vert.x's handler, where StreamChannel writes "
        + "SSE chunks from; pipeline " + http.names()));
  }

  @Test
  void reachesThePipelineOfAnUpgradedWebSocketAndAddsAHandlerBeforeVertxs() {
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    int port = listen(request -> {
      HttpConnection connection = request.connection();
      request.toWebSocket().onSuccess(ws -> {
        Seen upgraded = Seen.of(connection);
        seen.complete(upgraded);
        if (upgraded.added()) {
          ws.textMessageHandler(ws::writeTextMessage);
        }
      });
    });
    try (TestSocket socket = TestSocket.connect(vertx, port, "/ws")) {
      Seen ws = seen.orTimeout(5, TimeUnit.SECONDS).join();
      assertNotNull(ws.pipeline(), changed("the Netty pipeline is no longer reachable from the "
          + "HttpConnection of an upgraded WebSocket (it was through "
          + "io.vertx.core.net.impl.ConnectionBase)"));
      assertTrue(ws.added(), changed("Vert.x's own handler is no longer named \""
          + VertxNetty.VERTX_HANDLER + "\" once a connection is upgraded to a WebSocket, so "
          + "LingeringClose cannot go before it; pipeline " + ws.names()));
      // A handler before Vert.x's leaves the socket working.
      socket.send("still echoed");
      assertEquals("still echoed", socket.nextText());
    }
  }

  @Test
  void writesAnEncodedFrameStraightToAnUpgradedWebSocketsChannel() {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    int port = listen(request -> {
      HttpConnection connection = request.connection();
      request.toWebSocket().onSuccess(ws -> {
        names.complete(VertxNetty.pipeline(connection).names());
        WebSocketChannel channel = WebSocketChannel.of(connection, () -> { });
        ws.textMessageHandler(text -> {
          if (channel == null) {
            ws.writeTextMessage("no direct channel");
            return;
          }
          // A reply through Vert.x, then the same text twice from one shared encoding.
          ws.writeTextMessage("through vert.x");
          ByteBuf frame = WebSocketFrames.text(Buffer.buffer(text));
          channel.write(frame.retainedDuplicate());
          channel.write(frame.retainedDuplicate());
          frame.release();
        });
      });
    });
    try (TestSocket socket = TestSocket.connect(vertx, port, "/ws")) {
      socket.send("héllo");
      assertEquals("through vert.x", socket.nextText(), changed("Netty's WebSocket encoder is no longer "
          + "\"" + VertxNetty.WEBSOCKET_ENCODER + "\" followed only by Vert.x's handler; pipeline "
          + names.getNow(List.of())));
      assertEquals("héllo", socket.nextText());
      assertEquals("héllo", socket.nextText());
    }
  }

  @Test
  void closesAWebSocketAtOnceWithoutWaitingForTheClosingHandshake() {
    int port = listen(request -> {
      HttpConnection connection = request.connection();
      request.toWebSocket().onSuccess(ws -> VertxNetty.closeNow(VertxNetty.pipeline(connection).channel()));
    });
    try (RawClient client = RawClient.connect(port)) {
      assertEquals(101, client.upgrade("/ws").status());
      // Through Vert.x's handler, a close would wait 10 s for a close frame this client never sends.
      assertTrue(client.closedWithin(java.time.Duration.ofSeconds(5)), changed("a close from the front "
          + "of an upgraded WebSocket's pipeline no longer closes the socket at once"));
    }
  }

  @Test
  void letsGoOfTheHttpConnectionAWebSocketWasUpgradedFromAndKeepsTheWebSocketWorking() throws Exception {
    CompletableFuture<VertxNetty.Trimmed> trimmed = new CompletableFuture<>();
    List<WeakReference<HttpConnection>> upgraded = new CopyOnWriteArrayList<>();
    int port = listen(request -> {
      upgraded.add(new WeakReference<>(request.connection()));
      ChannelPipeline pipeline = VertxNetty.pipeline(request.connection());
      request.toWebSocket().onSuccess(ws -> {
        trimmed.complete(VertxNetty.trimUpgraded(pipeline));
        ws.textMessageHandler(ws::writeTextMessage);
      });
    });
    try (TestSocket socket = TestSocket.connect(vertx, port, "/ws")) {
      VertxNetty.Trimmed trim = trimmed.orTimeout(5, TimeUnit.SECONDS).join();
      assertTrue(trim.factory(), changed("Vert.x's handler of an upgraded pipeline no longer keeps "
          + "the factory of its connection in a field \"connectionFactory\" of "
          + "io.vertx.core.net.impl.VertxHandler"));
      assertTrue(trim.directWrites(), changed("a Vert.x connection no longer has a field "
          + "\"outboundMessageQueue\" that its strict thread mode's DirectOutboundMessageQueue can "
          + "take"));
      socket.send("still echoed");
      assertEquals("still echoed", socket.nextText());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (upgraded.get(0).get() != null && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(50);
      }
      assertNull(upgraded.get(0).get(), changed("an upgraded WebSocket still holds the HTTP/1.x "
          + "connection it was upgraded from, with its outbound queue, after trimUpgraded"));
      socket.send("echoed after the collection");
      assertEquals("echoed after the collection", socket.nextText());
    }
  }

  @Test
  void reachesTheBytesBehindABuffer() {
    Buffer frame = Buffer.buffer("data: 1\n\n");
    ByteBuf bytes = assertDoesNotThrow(() -> VertxNetty.byteBuf(frame), changed("a Buffer no longer "
        + "gives its Netty ByteBuf (it did as io.vertx.core.internal.buffer.BufferInternal)"));
    assertEquals("data: 1\n\n", bytes.toString(bytes.readerIndex(), bytes.readableBytes(),
        StandardCharsets.UTF_8), changed("a Buffer's ByteBuf no longer holds the buffer's bytes"));
  }

  /** A server set up as GatewayServer sets up the gateway's: its pipelines are the ones that matter. */
  private int listen(Handler<HttpServerRequest> handler) {
    HttpServerOptions options = new HttpServerOptions()
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setHttp2ClearTextEnabled(false);
    return TestCluster.await(vertx.createHttpServer(options).requestHandler(handler)
        .listen(0, "127.0.0.1")).actualPort();
  }

  private static String changed(String what) {
    return "A Vert.x upgrade changed an internal the gateway relies on: " + what + ". Fix "
        + "io.switchboard.gateway.transport.VertxNetty, the one class that reaches Vert.x internals.";
  }

  /** What the server saw of a connection's pipeline, taken on the connection's event loop. */
  private record Seen(ChannelPipeline pipeline, List<String> names, ChannelHandlerContext encoder,
      boolean added) {

    static Seen of(HttpConnection connection) {
      ChannelPipeline pipeline = VertxNetty.pipeline(connection);
      if (pipeline == null) {
        return new Seen(null, List.of(), null, false);
      }
      List<String> names = pipeline.names();
      ChannelHandlerContext encoder = VertxNetty.encoderNextToVertx(pipeline);
      boolean added = VertxNetty.addBeforeVertx(pipeline, "switchboard-probe",
          new ChannelInboundHandlerAdapter());
      return new Seen(pipeline, names, encoder, added);
    }
  }
}
