package io.switchboard.gateway;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * FakeWebSocket is a server WebSocket with no connection behind it: it records the text messages
 * written to it and lets a test feed it client messages. It can be closed under its session the
 * way Vert.x 5 closes a WebSocket whose client's close frame has arrived while its connection is
 * still there: {@code isClosed()} is true, {@code writeQueueFull()} throws "WebSocket is closed",
 * writes fail, and the close handler has not run. Driven from one event loop.
 */
public final class FakeWebSocket implements InvocationHandler {

  private final BlockingQueue<String> written = new LinkedBlockingQueue<>();
  private final ServerWebSocket socket = (ServerWebSocket) Proxy.newProxyInstance(
      ServerWebSocket.class.getClassLoader(), new Class<?>[] {ServerWebSocket.class}, this);
  private Handler<String> onText;
  private Handler<Void> onClose;
  private volatile Short closeStatus;
  private volatile String closeReason;
  private volatile boolean closed;

  public ServerWebSocket socket() {
    return socket;
  }

  /** A message from the client; call on the session's event loop. */
  public void receive(String text) {
    onText.handle(text);
  }

  /** Closes the socket as Vert.x sees it, without running its close handler. */
  public void closeUnderItsSession() {
    closed = true;
  }

  /** The client closes the connection: the socket closes and its close handler runs. */
  public void closeByClient() {
    closed = true;
    onClose.handle(null);
  }

  /** The status code the server closed the socket with, or null. */
  public Short closeStatus() {
    return closeStatus;
  }

  /** The reason the server closed the socket with, or null. */
  public String closeReason() {
    return closeReason;
  }

  /** The next text message written, waiting up to {@code timeout}; fails the test when none comes. */
  public String nextText(Duration timeout) throws InterruptedException {
    String text = written.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(text, "no message within " + timeout);
    return text;
  }

  /** The next message written, a JSON frame. */
  public JsonObject next(Duration timeout) throws InterruptedException {
    return new JsonObject(nextText(timeout));
  }

  /** The next frame written of {@code type}, skipping others. */
  public JsonObject nextOfType(String type, Duration timeout) throws InterruptedException {
    JsonObject frame = next(timeout);
    while (!type.equals(frame.getString("type"))) {
      frame = next(timeout);
    }
    return frame;
  }

  /** A message written already and not taken yet, or null. */
  public String pending() {
    return written.poll();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "isClosed":
        return closed;
      case "writeQueueFull":
        if (closed) {
          throw new IllegalStateException("WebSocket is closed");
        }
        return false;
      case "writeTextMessage":
        if (closed) {
          return Future.failedFuture("WebSocket is closed");
        }
        written.add((String) args[0]);
        return Future.succeededFuture();
      case "textMessageHandler":
        onText = (Handler<String>) args[0];
        return proxy;
      case "closeHandler":
        if (closed) {
          throw new IllegalStateException("WebSocket is closed");
        }
        onClose = (Handler<Void>) args[0];
        return proxy;
      case "close":
        closed = true;
        closeStatus = args != null && args.length > 0 && args[0] instanceof Short status ? status : closeStatus;
        closeReason = args != null && args.length > 1 && args[1] instanceof String reason ? reason : closeReason;
        return Future.succeededFuture();
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      case "toString":
        return "FakeWebSocket";
      default:
        if (closed && method.getName().endsWith("Handler")) {
          throw new IllegalStateException("WebSocket is closed");
        }
        return fallback(proxy, method.getReturnType());
    }
  }

  /** Handler setters return the socket; other calls do nothing. */
  private static Object fallback(Object proxy, Class<?> type) {
    if (type.isInstance(proxy)) {
      return proxy;
    }
    if (type == Future.class) {
      return Future.succeededFuture();
    }
    if (type == boolean.class) {
      return Boolean.FALSE;
    }
    return type == int.class ? Integer.valueOf(0) : type == long.class ? Long.valueOf(0) : null;
  }
}
