package io.switchboard.gateway.signaling;

import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.WebSocketUpgrade;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * SignalingSocketHandler upgrades {@code GET /ws/signaling} and starts a {@link SignalingSession}
 * that may do what the request's grants allow, for as long as they last or are refreshed.
 */
public final class SignalingSocketHandler implements Handler<RoutingContext> {

  private final SignalingConfig config;
  private final ConnectionRegistry connections;
  private final Duration closeLinger;
  private final SignalingLoop loop;
  private final SocketAuth socketAuth;

  /**
   * Handles the upgrades of the event loop of {@code loop}; {@code socketAuth} checks the tokens
   * that renew a connection's.
   */
  public SignalingSocketHandler(SignalingLoop loop, SignalingConfig config,
      ConnectionRegistry connections, Duration closeLinger, SocketAuth socketAuth) {
    this.loop = loop;
    this.config = config;
    this.connections = connections;
    this.closeLinger = closeLinger;
    this.socketAuth = socketAuth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Grants grants = RequestGrants.of(ctx);
    WebSocketUpgrade.accept(ctx, closeLinger, ws -> {
      SocketAccess access = socketAuth.access(ctx.vertx(), grants);
      if (connections.add(ws, ctx.request().connection(), access::grants)) {
        // The session's own exception handler closes oversized messages with too-large and 1009.
        loop.session(ws, config, access, () -> connections.remove(ws)).start();
      }
    });
  }
}
