package io.switchboard.gateway.cluster;

import io.switchboard.common.sse.EventTypes;
import io.switchboard.gateway.auth.TokenExpiry;
import io.switchboard.gateway.node.ClosedConnections;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.transport.SseReconnect;
import io.switchboard.gateway.transport.SseWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * ClusterStream is one open {@code GET /api/cluster/stream}: it pushes the view on a timer until the
 * dashboard goes, its token expires, an operator disconnects its user or the gateway shuts down,
 * and counts the stream as closed for that reason.
 */
final class ClusterStream {

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final ConnectionRegistry connections;
  /** Run on shutdown, which counts the stream itself: a {@code reconnect} event, to another gateway. */
  final Supplier<Future<?>> ender = this::shutdown;
  /** Run when an operator disconnects the stream's user. */
  final Supplier<Future<?>> disconnecter = this::disconnect;
  private long timer = -1;
  private TokenExpiry expiry;
  private boolean released;

  ClusterStream(Vertx vertx, HttpServerResponse response, ConnectionRegistry connections) {
    this.vertx = vertx;
    this.response = response;
    this.connections = connections;
  }

  /** Pushes a view now and every {@code intervalMillis}; {@code expiry} ends the stream at expiry. */
  void start(long intervalMillis, Runnable push, TokenExpiry expiry) {
    this.expiry = expiry;
    push.run();
    timer = vertx.setPeriodic(intervalMillis, id -> push.run());
    response.closeHandler(v -> release(ClosedConnections.CLIENT));
  }

  /** Ends the stream with a {@code token-expired} event: its token expired at {@code exp}. */
  void expire(Long exp) {
    release(ClosedConnections.TOKEN_EXPIRED);
    endWith(SseWriter.event(null, EventTypes.TOKEN_EXPIRED, new JsonObject().put("exp", exp).encode()));
  }

  private Future<?> disconnect() {
    release(ClosedConnections.DISCONNECTED);
    return endWith(SseReconnect.disconnected());
  }

  private Future<?> shutdown() {
    stop();
    return endWith(SseReconnect.shutdown());
  }

  private Future<?> endWith(Buffer last) {
    return response.ended() || response.closed() ? Future.succeededFuture() : response.end(last);
  }

  /** Stops the pushes and counts the stream as closed for {@code reason}, once. */
  private void release(String reason) {
    if (!released) {
      stop();
      connections.remove(ender, reason);
    }
  }

  private void stop() {
    released = true;
    vertx.cancelTimer(timer);
    if (expiry != null) {
      expiry.cancel();
    }
  }
}
