package io.switchboard.gateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HttpConnections holds the client connections of one of the gateway's event loops to the gateway
 * total ({@code LIMIT_CONNECTIONS}) and to the request timeouts, so that connections that send
 * nothing, or their request headers a byte at a time, cannot use up the gateway's sockets.
 *
 * <ul>
 *   <li>Every connection counts towards the total, from accept to close, whatever it becomes.</li>
 *   <li>A connection accepted beyond the total closes the connection of this loop that has waited
 *       longest for a request, to make room; when none is waiting, its own first request, whatever
 *       it is, gets {@code 503 server-full} ({@link #refuseOverLimit}) and the connection is
 *       closed.</li>
 *   <li>Until it becomes a WebSocket or a stream, a connection must send complete request headers
 *       within {@code HTTP_HEADER_TIMEOUT_MS} of its accept, or of the first byte of a later
 *       request; between requests it may wait {@code HTTP_IDLE_TIMEOUT_MS}.</li>
 * </ul>
 *
 * <p>Used from its event loop only, apart from the node-wide count.
 */
public final class HttpConnections {

  private static final String NAME = "switchboard-http-guard";

  private final AtomicInteger open;
  private final int limit;
  final long headerTimeoutMillis;
  final long idleTimeoutMillis;
  final LimitLog limitLog;
  /** Guards of connections with no request in progress, the longest waiting first. */
  private final LinkedHashSet<HttpConnectionGuard> waiting = new LinkedHashSet<>();

  /** {@code open} counts the connections of the whole gateway node, {@code limit} bounds it. */
  public HttpConnections(AtomicInteger open, int limit, Duration headerTimeout, Duration idleTimeout,
      LimitLog limitLog) {
    this.open = open;
    this.limit = limit;
    this.headerTimeoutMillis = headerTimeout.toMillis();
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.limitLog = limitLog;
  }

  /** Takes a newly accepted connection in; the HTTP server's connection handler. */
  public void accepted(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline == null) {
      return;
    }
    Channel channel = pipeline.channel();
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    int now = open.incrementAndGet();
    boolean over = now > limit && !evictLongestWaiting(now);
    VertxNetty.addBeforeVertx(pipeline, NAME, new HttpConnectionGuard(this, over, true));
  }

  /**
   * The connection has become a WebSocket or a stream, which live as long as their client wants:
   * its request timeouts end. Call on its event loop, before the upgrade or the stream's head.
   */
  public static void detach(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline != null && pipeline.get(NAME) != null) {
      pipeline.remove(NAME);
    }
  }

  /**
   * The stream the connection carried has ended and the connection lives on, waiting for another
   * request: its idle timeout applies again. Call on its event loop.
   */
  public void reattach(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline != null && pipeline.channel().isActive() && pipeline.get(NAME) == null) {
      VertxNetty.addBeforeVertx(pipeline, NAME, new HttpConnectionGuard(this, false, false));
    }
  }

  /**
   * Route handler, right after the origin check: a request on a connection accepted beyond the
   * total gets {@code 503 server-full}, with the CORS headers any answer gets, and the connection is
   * closed; any other request goes on.
   */
  public void refuseOverLimit(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline == null || !(pipeline.get(NAME) instanceof HttpConnectionGuard guard) || !guard.over()) {
      ctx.next();
      return;
    }
    limitLog.hit("connections", "answered 503 server-full to {}: the gateway holds "
        + "LIMIT_CONNECTIONS connections and none of them waits for a request", guard.remote());
    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    JsonResponses.error(ctx.response(), ErrorCode.SERVER_FULL,
        "The gateway holds as many connections as it can; retry later").onComplete(sent -> connection.close());
  }

  /** Connections of the whole gateway node, for tests and statistics. */
  public int openCount() {
    return open.get();
  }

  void waiting(HttpConnectionGuard guard) {
    // Re-inserted at the end: the set is ordered by how long each has been waiting.
    waiting.remove(guard);
    waiting.add(guard);
  }

  void busy(HttpConnectionGuard guard) {
    waiting.remove(guard);
  }

  private boolean evictLongestWaiting(int now) {
    Iterator<HttpConnectionGuard> oldest = waiting.iterator();
    if (!oldest.hasNext()) {
      return false;
    }
    HttpConnectionGuard guard = oldest.next();
    oldest.remove();
    limitLog.hit("connections-evicted", "closed the connection from {} that waited longest for a "
        + "request, to make room: the gateway holds {} connections, its limit is {}",
        guard.remote(), now - 1, limit);
    guard.close();
    return true;
  }
}
