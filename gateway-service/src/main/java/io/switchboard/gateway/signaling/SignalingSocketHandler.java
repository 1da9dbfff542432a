package io.switchboard.gateway.signaling;

import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.WebSocketUpgrade;
import io.vertx.core.Handler;
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
    WebSocketUpgrade.accept(ctx, closeLinger, ws -> {
      if (connections.add(ws, ctx.request().connection())) {
        // The session's own exception handler closes oversized messages with too-large and 1009.
        loop.session(ws, config, () -> connections.remove(ws)).start();
      }
    });
  }
}
