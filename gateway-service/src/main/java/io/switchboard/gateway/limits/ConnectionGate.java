package io.switchboard.gateway.limits;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.switchboard.gateway.transport.HeadRequests;
import io.switchboard.gateway.transport.HttpConnections;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.SocketLimits;
import io.switchboard.gateway.transport.VertxNetty;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * ConnectionGate admits a WebSocket upgrade or a stream request under the {@link ConnectionLimits}
 * before its route handler runs, so that a refused client gets a plain HTTP error
 * ({@code 429 too-many-connections}, or {@code 503 service-unavailable} when its user's count cannot
 * be read) instead of an upgrade or a stream's {@code 200}. The admission is released when the
 * WebSocket's connection closes, or when the stream's response ends.
 *
 * <p>One per event loop; route handlers run on it.
 */
public final class ConnectionGate {

  private final ConnectionLimits limits;
  private final TrustedProxies proxies;
  private final HttpConnections connections;
  private final Function<RoutingContext, String> userOf;

  /**
   * A gate for the connections of one loop; {@code userOf} gives the user a request was
   * authenticated as, or null (open mode).
   */
  public ConnectionGate(ConnectionLimits limits, TrustedProxies proxies, HttpConnections connections,
      Function<RoutingContext, String> userOf) {
    this.limits = limits;
    this.proxies = proxies;
    this.connections = connections;
    this.userOf = userOf;
  }

  /** Route handler in front of a WebSocket endpoint; a request that is no upgrade passes as it is. */
  public void webSocket(RoutingContext ctx) {
    if (!SocketLimits.isUpgrade(ctx)) {
      ctx.next();
      return;
    }
    admit(ctx, admission -> {
      Channel channel = detach(ctx);
      if (admission != null && channel != null) {
        channel.closeFuture().addListener(f -> admission.release());
      }
      ctx.next();
    });
  }

  /**
   * Route handler in front of a stream endpoint. A {@code HEAD}, which opens no stream, is refused
   * as its {@code GET} would be, and holds nothing when it is not.
   */
  public void stream(RoutingContext ctx) {
    if (HeadRequests.isHead(ctx.request())) {
      admit(ctx, admission -> {
        if (admission != null) {
          admission.release();
        }
        ctx.next();
      });
      return;
    }
    admit(ctx, admission -> {
      HttpConnection connection = ctx.request().connection();
      Channel channel = detach(ctx);
      ChannelFutureListener closed = f -> admission.release();
      if (admission != null && channel != null) {
        channel.closeFuture().addListener(closed);
      }
      ctx.addEndHandler(ended -> {
        if (admission != null) {
          admission.release();
        }
        if (channel != null && channel.isActive()) {
          channel.closeFuture().removeListener(closed);
          // The connection may carry another request.
          connections.reattach(connection);
        }
      });
      ctx.next();
    });
  }

  /** Hands {@code admitted} the admission, or null when no limit counts connections. */
  private void admit(RoutingContext ctx, Handler<Admission> admitted) {
    if (!limits.counting()) {
      admitted.handle(null);
      return;
    }
    HttpServerRequest request = ctx.request();
    Future<Admission> admission = limits.admit(ClientAddress.of(request, proxies), userOf.apply(ctx));
    if (admission.isComplete()) {
      decide(ctx, admission.result(), admitted);
      return;
    }
    // A WebSocket upgrade must find the request unread when it is accepted.
    request.pause();
    admission.onComplete(ar -> {
      decide(ctx, ar.result(), admitted);
      request.resume();
    });
  }

  private static void decide(RoutingContext ctx, Admission admission, Handler<Admission> admitted) {
    if (!admission.granted()) {
      JsonResponses.error(ctx.response(), admission.refusal(), admission.message());
    } else if (ctx.response().closed()) {
      // The client went away while its count was asked of the cluster.
      admission.release();
    } else {
      admitted.handle(admission);
    }
  }

  /**
   * Frees the request's connection of the request timeouts, since it becomes a WebSocket or a
   * stream; its channel, or null where Vert.x hides it.
   */
  private static Channel detach(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    HttpConnections.detach(connection);
    return channelOf(connection);
  }

  private static Channel channelOf(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    return pipeline == null ? null : pipeline.channel();
  }
}
