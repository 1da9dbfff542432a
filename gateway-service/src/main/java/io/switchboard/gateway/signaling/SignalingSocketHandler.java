package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.LingeringClose;
import io.switchboard.gateway.transport.SocketLimits;
import io.switchboard.gateway.transport.WriteCoalescing;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** SignalingSocketHandler upgrades {@code GET /ws/signaling} and starts a {@link SignalingSession}. */
public final class SignalingSocketHandler implements Handler<RoutingContext> {

  private final SignalingConfig config;
  private final ConnectionRegistry connections;
  private final Duration closeLinger;
  private final SignalingLoop loop;

  /** Handles the upgrades of the event loop of {@code loop}. */
  public SignalingSocketHandler(SignalingLoop loop, SignalingConfig config,
      ConnectionRegistry connections, Duration closeLinger) {
    this.loop = loop;
    this.config = config;
    this.connections = connections;
    this.closeLinger = closeLinger;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!SocketLimits.isUpgrade(ctx)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "Expected a WebSocket upgrade request");
      return;
    }
    HttpConnection connection = ctx.request().connection();
    ctx.request().toWebSocket().onSuccess(ws -> {
      WriteCoalescing.install(connection);
      LingeringClose.install(connection, closeLinger);
      if (connections.add(ws)) {
        // The session's own exception handler closes oversized messages with too-large and 1009.
        loop.session(ws, config, () -> connections.remove(ws)).start();
      }
    });
  }
}
