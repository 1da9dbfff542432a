package io.switchboard.gateway.ws;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.ConnectionRegistry;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.http.JsonResponses;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.RoutingContext;

/** EchoSocketHandler upgrades {@code GET /ws/echo} and starts an {@link EchoSession}. */
public final class EchoSocketHandler implements Handler<RoutingContext> {

  private final EventBus bus;
  private final GatewayConfig config;
  private final ConnectionRegistry connections;

  public EchoSocketHandler(EventBus bus, GatewayConfig config, ConnectionRegistry connections) {
    this.bus = bus;
    this.config = config;
    this.connections = connections;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!SocketLimits.isUpgrade(ctx)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          "Expected a WebSocket upgrade request");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> {
      if (connections.add(ws)) {
        SocketLimits.closeOnOversize(ws, config.wsMaxMessageBytes());
        new EchoSession(ws, bus, config, () -> connections.remove(ws)).start();
      }
    });
  }
}
