package io.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * HttpConnectionGuard watches one plain HTTP connection for {@link HttpConnections}: it sits
 * between Netty's HTTP codec and Vert.x, sees each request head arrive and each response end
 * leave, and closes the connection when its request headers or its next request take too long.
 * It leaves the pipeline when the connection becomes a WebSocket or a stream.
 *
 * <p>A connection accepted beyond the gateway's limit gets {@code 503 server-full} here, before
 * Vert.x sees its request, and is closed.
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

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    decodedInRead = true;
    if (over) {
      if (msg instanceof HttpRequest) {
        refuse(ctx);
      }
      ReferenceCountUtil.release(msg);
      return;
    }
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

  private void refuse(ChannelHandlerContext ctx) {
    stopWaiting();
    connections.limitLog.hit("connections", "answered 503 server-full to {}: the gateway holds "
        + "LIMIT_CONNECTIONS connections and none of them waits for a request", remote());
    ErrorCode code = ErrorCode.SERVER_FULL;
    ByteBuf body = Unpooled.copiedBuffer(
        code.toJson("The gateway holds as many connections as it can; retry later").encode(),
        StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(code.httpStatus()), body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.RETRY_AFTER, code.retryAfterSeconds())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** A {@code 100 Continue} before the real response ends nothing. */
  private static boolean isInterim(Object msg) {
    return msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }
}
