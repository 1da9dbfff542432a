package io.switchboard.gateway.echo;

import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.transport.SocketLimits;
import io.switchboard.gateway.transport.WebSocketUpgrade;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** EchoSocketHandler upgrades {@code GET /ws/echo} and starts an {@link EchoSession}. */
public final class EchoSocketHandler implements Handler<RoutingContext> {

  private final EchoForwarder forwarder;
  private final GatewayConfig config;
  private final ConnectionRegistry connections;
  private final RateMeter messages;

  public EchoSocketHandler(EchoForwarder forwarder, GatewayConfig config,
      ConnectionRegistry connections, RateMeter messages) {
    this.forwarder = forwarder;
    this.config = config;
    this.connections = connections;
    this.messages = messages;
  }

  @Override
  public void handle(RoutingContext ctx) {
    WebSocketUpgrade.accept(ctx, config.wsCloseLinger(), ws -> {
      if (connections.add(ws, ctx.request().connection())) {
        SocketLimits.closeOnOversize(ws, config.wsMaxMessageBytes());
        new EchoSession(ws, forwarder, config.echo(), messages, () -> connections.remove(ws)).start();
      }
    });
  }
}
