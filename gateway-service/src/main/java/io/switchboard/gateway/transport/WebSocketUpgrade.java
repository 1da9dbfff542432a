package io.switchboard.gateway.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.switchboard.common.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * WebSocketUpgrade turns a {@code GET /ws/*} request into a WebSocket the way every WebSocket
 * endpoint of the gateway does: a request that is not an upgrade gets {@code 400 bad-request}, and
 * the upgraded connection checks that its text is UTF-8 (see {@link SocketLimits}), coalesces its
 * writes and lingers on close (see {@link WriteCoalescing} and {@link LingeringClose}). Its answer,
 * {@code 101}, is written to the {@link AccessLog}.
 */
public final class WebSocketUpgrade {

  private static final String UTF8 = "switchboard-utf8";

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
      AccessLog.upgraded(ctx);
      // First, so that lingering sees the refusal of a text frame as it sees an oversized one.
      validateText(connection);
      WriteCoalescing.install(connection);
      LingeringClose.install(connection, closeLinger);
      ChannelPipeline pipeline = VertxNetty.pipeline(connection);
      if (pipeline != null) {
        VertxNetty.trimUpgraded(pipeline);
      }
      opened.handle(ws);
    }).onFailure(err -> connection.close());
  }

  /**
   * Netty's validator, right before Vert.x, fails the connection on a text frame, or a fragment of
   * a text message, that is not UTF-8; Vert.x would otherwise decode it with replacement characters.
   */
  private static void validateText(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline != null && pipeline.get(UTF8) == null) {
      VertxNetty.addBeforeVertx(pipeline, UTF8, new Utf8FrameValidator(false));
    }
  }
}
