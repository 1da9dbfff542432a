package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * FakeResponse is an HTTP/1.1 response, and its request, with no connection behind them: it
 * records what is written to it, and can be made to throw on writes the way a Vert.x response does
 * once something ended it ({@code IllegalStateException: Response has already been written}).
 * Driven from one event loop.
 */
final class FakeResponse implements InvocationHandler {

  private final BlockingQueue<String> written = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> reset = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(
      HttpServerResponse.class.getClassLoader(), new Class<?>[] {HttpServerResponse.class}, this);
  private final HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(
      HttpServerRequest.class.getClassLoader(), new Class<?>[] {HttpServerRequest.class},
      (proxy, method, args) -> method.getName().equals("version") ? HttpVersion.HTTP_1_1 : null);
  private volatile boolean throwing;
  private volatile boolean full;
  private boolean headWritten;

  HttpServerRequest request() {
    return request;
  }

  HttpServerResponse response() {
    return response;
  }

  /** From now on writes throw. */
  void throwOnWrites() {
    throwing = true;
  }

  /** From now on the response reports its write queue full, as for a client that stopped reading. */
  void fill() {
    full = true;
  }

  /** The next chunk written, waiting up to {@code timeout}; fails the test when none comes. */
  String next(Duration timeout) throws InterruptedException {
    String chunk = written.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(chunk, "nothing written within " + timeout);
    return chunk;
  }

  /** Completes when the stream closes the connection without a graceful end. */
  CompletableFuture<Void> reset() {
    return reset;
  }

  /** Completes when the stream ends the response gracefully. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "write":
      case "writeQueueFull":
        if (throwing) {
          throw new IllegalStateException("Response has already been written");
        }
        if (method.getName().equals("writeQueueFull")) {
          return full;
        }
        headWritten = true;
        written.add(((Buffer) args[0]).toString());
        return Future.succeededFuture();
      case "headWritten":
        return headWritten;
      case "setStatusCode":
      case "putHeader":
      case "setChunked":
        // As Vert.x: the head cannot change once it is written.
        if (headWritten) {
          throw new IllegalStateException("Response head already sent");
        }
        return proxy;
      case "end":
        ended.complete(null);
        return Future.succeededFuture();
      case "reset":
        reset.complete(null);
        return Future.succeededFuture();
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      case "toString":
        return "FakeResponse";
      default:
        return fallback(proxy, method.getReturnType());
    }
  }

  /** Setters return the response; other calls do nothing. */
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
