package io.switchboard.common.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * TestSocket is a WebSocket client for tests: received messages queue up and the test thread
 * takes them with a timeout. The socket is set up and connected on a Vert.x context; the test
 * thread only writes to it, which a WebSocket allows from any thread, and reads the queue.
 */
public final class TestSocket implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  private TestSocket(WebSocketClient client, ClientWebSocket ws) {
    this.client = client;
    this.ws = ws;
    // Handlers are set on a context before connecting, so a message the server sends on open is
    // not lost.
    ws.textMessageHandler(messages::add);
    ws.binaryMessageHandler(messages::add);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  public static TestSocket connect(Vertx vertx, int port, String path) {
    return connect(vertx, "127.0.0.1", port, path);
  }

  public static TestSocket connect(Vertx vertx, String host, int port, String path) {
    return connect(vertx, host, port, path, new WebSocketClientOptions());
  }

  /**
   * Connects with a small socket receive buffer, so that a client that stops reading makes the
   * server's writes back up after kilobytes rather than after whatever the kernel would buffer.
   */
  public static TestSocket connectWithSmallReceiveBuffer(Vertx vertx, int port, String path) {
    return connect(vertx, "127.0.0.1", port, path,
        new WebSocketClientOptions().setReceiveBufferSize(4096));
  }

  private static TestSocket connect(Vertx vertx, String host, int port, String path,
      WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options
        .setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(16 * 1024 * 1024));
    return TestCluster.awaitOn(vertx, () -> {
      ClientWebSocket ws = client.webSocket();
      TestSocket socket = new TestSocket(client, ws);
      return ws.connect(port, host, path).map(socket);
    });
  }

  public WebSocket raw() {
    return ws;
  }

  public void send(String text) {
    ws.writeTextMessage(text);
  }

  public void send(JsonObject json) {
    ws.writeTextMessage(json.encode());
  }

  public void sendBinary(Buffer bytes) {
    ws.writeBinaryMessage(bytes);
  }

  /** The next message of any kind, or an AssertionError after the timeout. */
  public Object next(Duration timeout) {
    try {
      Object message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("No message within " + timeout);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String nextText(Duration timeout) {
    Object message = next(timeout);
    if (!(message instanceof String text)) {
      throw new AssertionError("Expected a text message, got " + message);
    }
    return text;
  }

  public String nextText() {
    return nextText(Duration.ofSeconds(30));
  }

  public JsonObject nextJson(Duration timeout) {
    return new JsonObject(nextText(timeout));
  }

  public JsonObject nextJson() {
    return nextJson(Duration.ofSeconds(30));
  }

  /** Skips messages until one whose "type" is {@code type}. */
  public JsonObject nextOfType(String type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("No '" + type + "' message within " + timeout);
      }
      Object message = next(Duration.ofNanos(left));
      if (message instanceof String text && text.startsWith("{")) {
        JsonObject json = new JsonObject(text);
        if (type.equals(json.getString("type"))) {
          return json;
        }
      }
    }
  }

  public Buffer nextBinary(Duration timeout) {
    Object message = next(timeout);
    if (!(message instanceof Buffer bytes)) {
      throw new AssertionError("Expected a binary message, got " + message);
    }
    return bytes;
  }

  /** Takes every message received so far, in order, without waiting. */
  public java.util.List<Object> drain() {
    java.util.List<Object> taken = new java.util.ArrayList<>();
    messages.drainTo(taken);
    return taken;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Waits for the server to close the socket and returns the close status code. */
  public Short awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("Socket not closed within " + timeout, e);
    }
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }
}
