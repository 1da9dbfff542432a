package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.ConnectionRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** SignalingSocketHandler upgrades {@code GET /ws/signaling} and starts a {@link SignalingSession}. */
public final class SignalingSocketHandler implements Handler<RoutingContext> {

  private final SignalingNode node;
  private final SignalingConfig config;
  private final ConnectionRegistry connections;

  public SignalingSocketHandler(SignalingNode node, SignalingConfig config, ConnectionRegistry connections) {
    this.node = node;
    this.config = config;
    this.connections = connections;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.request().toWebSocket().onSuccess(ws -> {
      if (connections.add(ws)) {
        new SignalingSession(ws, config, node, () -> connections.remove(ws)).start();
      }
    }).onFailure(err -> {
      if (!ctx.response().headWritten()) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
            .end(ErrorCode.BAD_REQUEST.toJson("Expected a WebSocket upgrade request").encode());
      }
    });
  }
}
