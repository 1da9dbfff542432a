package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.signaling.RoomPeers;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.BusErrors;
import io.switchboard.gateway.transport.JsonResponses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * RoomsHandler answers room introspection: {@code GET /api/rooms} lists rooms with their member
 * counts, {@code GET /api/rooms/:room} lists one room's peers. Both ask the node's
 * {@link RoomDirectory}, and answer with its {@link RoomList} or {@link RoomPeers} as they are.
 */
public final class RoomsHandler {

  private final RoomDirectory rooms;
  private final Duration timeout;

  /** Over the rooms of {@code node}; {@code config} gives the timeout that failures report. */
  public RoomsHandler(SignalingNode node, SignalingConfig config) {
    this(node.rooms(), config.requestTimeout());
  }

  RoomsHandler(RoomDirectory rooms, Duration timeout) {
    this.rooms = rooms;
    this.timeout = timeout;
  }

  public void list(RoutingContext ctx) {
    answer(ctx, rooms.listRooms().map(RoomList::toJson));
  }

  public void get(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!SignalingProtocol.validRoom(room)) {
      JsonResponses.error(ctx.response(), ErrorCode.BAD_REQUEST, SignalingProtocol.ROOM_NAME_RULE);
      return;
    }
    answer(ctx, rooms.roomPeers(room).map(RoomPeers::toJson));
  }

  private void answer(RoutingContext ctx, Future<JsonObject> body) {
    body.onSuccess(json -> JsonResponses.json(ctx.response(), 200, json))
        .onFailure(err -> JsonResponses.error(ctx.response(), BusErrors.code(err),
            BusErrors.message(err, "signaling", timeout)));
  }
}
