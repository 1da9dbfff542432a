package io.switchboard.gateway.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HttpConnectionGuard watches one plain HTTP connection for {@link HttpConnections}: it sits
 * between Netty's HTTP codec and Vert.x, sees each request head arrive and each response end
 * leave, and closes the connection when its request headers or its next request take too long.
 * It leaves the pipeline when the connection becomes a WebSocket or a stream.
 *
 * <p>A connection accepted beyond the gateway's limit is marked {@link #over()}: its request goes on
 * to {@link HttpConnections#refuseOverLimit}, which answers {@code 503 server-full} and closes it.
 */
final class HttpConnectionGuard extends ChannelDuplexHandler {

  private final HttpConnections connections;
  private final boolean over;
  private final boolean fresh;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> deadline;
  /** Request heads read and responses ended: a request is in progress while they differ. */
  private long requests;
  private long responses;
  private boolean readingHeaders;
  /** Whether the current read from the socket decoded anything. */
  private boolean decodedInRead;
  private long waitingSince;

  /**
   * A guard for a {@code fresh} connection, just accepted, or for one that lives on after its
   * stream ended; {@code over} when it was accepted beyond the gateway's limit.
   */
  HttpConnectionGuard(HttpConnections connections, boolean over, boolean fresh) {
    this.connections = connections;
    this.over = over;
    this.fresh = fresh;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    // A new connection owes its request headers; one that carried a stream waits for a request.
    readingHeaders = fresh;
    startWaiting(fresh ? connections.headerTimeoutMillis : connections.idleTimeoutMillis);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stopWaiting();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopWaiting();
    ctx.fireChannelInactive();
  }

  /** Whether the connection was accepted beyond the gateway's limit: its request is refused. */
  boolean over() {
    return over;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    decodedInRead = true;
    if (msg instanceof HttpRequest) {
      requests++;
      stopWaiting();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Bytes arrived between requests and decoded into nothing yet: the next request has begun,
    // and owes its headers.
    if (!decodedInRead && !over && requests == responses && !readingHeaders) {
      readingHeaders = true;
      startWaiting(connections.headerTimeoutMillis);
    }
    decodedInRead = false;
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (over && msg instanceof LastHttpContent && !isInterim(msg)) {
      // A connection beyond the limit closes after its one answer, whichever handler gave it
      // (server-full, or a bad-origin before it): it never waits for another request.
      ChannelPromise closing = promise.unvoid();
      closing.addListener(ChannelFutureListener.CLOSE);
      ctx.write(msg, closing);
      return;
    }
    if (msg instanceof LastHttpContent && !isInterim(msg)) {
      responses++;
      if (responses >= requests) {
        responses = requests;
        readingHeaders = false;
        startWaiting(connections.idleTimeoutMillis);
      }
    }
    ctx.write(msg, promise);
  }

  /** The remote address, for logs. */
  String remote() {
    return ctx == null ? "?" : String.valueOf(ctx.channel().remoteAddress());
  }

  void close() {
    stopWaiting();
    ctx.close();
  }

  private void startWaiting(long timeoutMillis) {
    cancelDeadline();
    waitingSince = System.nanoTime();
    deadline = ctx.executor().schedule(this::expired, timeoutMillis, TimeUnit.MILLISECONDS);
    connections.waiting(this);
  }

  private void stopWaiting() {
    cancelDeadline();
    connections.busy(this);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expired() {
    deadline = null;
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince);
    if (readingHeaders) {
      connections.limitLog.hit("http-header-timeout", "closed the connection from {}: no complete "
          + "request headers within {} ms", remote(), waited);
    } else {
      connections.limitLog.hit("http-idle-timeout", "closed the connection from {}: no request for "
          + "{} ms", remote(), waited);
    }
    close();
  }

  /** A {@code 100 Continue} before the real response ends nothing. */
  private static boolean isInterim(Object msg) {
    return msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }
}
