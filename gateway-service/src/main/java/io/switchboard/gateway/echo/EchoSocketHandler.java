package io.switchboard.gateway.echo;

import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.transport.SocketLimits;
import io.switchboard.gateway.transport.WebSocketUpgrade;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * EchoSocketHandler upgrades {@code GET /ws/echo} and starts an {@link EchoSession}, open for as
 * long as the request's grants last or are refreshed.
 */
public final class EchoSocketHandler implements Handler<RoutingContext> {

  private final EchoForwarder forwarder;
  private final GatewayConfig config;
  private final ConnectionRegistry connections;
  private final RateMeter messages;
  private final SocketAuth socketAuth;

  /** {@code socketAuth} checks the tokens that renew a connection's. */
  public EchoSocketHandler(EchoForwarder forwarder, GatewayConfig config,
      ConnectionRegistry connections, RateMeter messages, SocketAuth socketAuth) {
    this.forwarder = forwarder;
    this.socketAuth = socketAuth;
    this.config = config;
    this.connections = connections;
    this.messages = messages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Grants grants = RequestGrants.of(ctx);
    WebSocketUpgrade.accept(ctx, config.wsCloseLinger(), ws -> {
      SocketAccess access = socketAuth.access(ctx.vertx(), grants);
      if (connections.add(ws, ctx.request().connection(), access::grants)) {
        SocketLimits.closeOnOversize(ws, config.wsMaxMessageBytes());
        new EchoSession(ws, forwarder, config.echo(), messages, access, () -> connections.remove(ws)).start();
      }
    });
  }
}
