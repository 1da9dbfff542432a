package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * RoomsHandler answers room introspection: {@code GET /api/rooms} lists rooms with their member
 * counts, {@code GET /api/rooms/:room} lists one room's peers. Both ask signaling-service.
 */
public final class RoomsHandler {

  private final EventBus bus;
  private final Duration timeout;

  public RoomsHandler(EventBus bus, SignalingConfig config) {
    this.bus = bus;
    this.timeout = config.requestTimeout();
  }

  public void list(RoutingContext ctx) {
    ask(ctx, new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOMS));
  }

  public void get(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!SignalingProtocol.validRoom(room)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST,
          SignalingProtocol.ROOM_NAME_RULE);
      return;
    }
    ask(ctx, new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOM).put("room", room));
  }

  private void ask(RoutingContext ctx, JsonObject request) {
    bus.<JsonObject>request(Addresses.SIGNALING_ROOMS, request,
            new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .onSuccess(reply -> JsonResponses.json(ctx.response(), 200, reply.body()))
        .onFailure(err -> JsonResponses.error(ctx.response(), BusErrors.code(err),
            BusErrors.message(err, "signaling", timeout)));
  }
}
