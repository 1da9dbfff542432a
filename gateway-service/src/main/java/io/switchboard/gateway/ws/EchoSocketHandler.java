package io.switchboard.gateway.ws;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.ConnectionRegistry;
import io.switchboard.gateway.GatewayConfig;
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
    ctx.request().toWebSocket().onSuccess(ws -> {
      if (connections.add(ws)) {
        new EchoSession(ws, bus, config, () -> connections.remove(ws)).start();
      }
    }).onFailure(err -> {
      if (!ctx.response().headWritten()) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
            .end(ErrorCode.BAD_REQUEST.toJson("Expected a WebSocket upgrade request").encode());
      }
    });
  }
}
