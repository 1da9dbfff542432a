package io.switchboard.gateway.transport;

import io.switchboard.common.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * WebSocketUpgrade turns a {@code GET /ws/*} request into a WebSocket the way every WebSocket
 * endpoint of the gateway does: a request that is not an upgrade gets {@code 400 bad-request}, and
 * the upgraded connection coalesces its writes and lingers on close (see {@link WriteCoalescing}
 * and {@link LingeringClose}).
 */
public final class WebSocketUpgrade {

  private WebSocketUpgrade() {
  }

  /** Upgrades the request and hands the WebSocket to {@code opened}. */
  public static void accept(RoutingContext ctx, Duration closeLinger, Handler<ServerWebSocket> opened) {
    if (!SocketLimits.isUpgrade(ctx)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, "Expected a WebSocket upgrade request");
      return;
    }
    HttpConnection connection = ctx.request().connection();
    ctx.request().toWebSocket().onSuccess(ws -> {
      WriteCoalescing.install(connection);
      LingeringClose.install(connection, closeLinger);
      opened.handle(ws);
    });
  }
}
