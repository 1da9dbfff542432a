package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;

/**
 * RoomListRequest is a gateway's request for every room that has members, on
 * {@code Addresses.SIGNALING_ROOMS}, for {@code GET /api/rooms}; signaling-service answers with a
 * {@link RoomList}. It carries nothing but its op.
 */
public record RoomListRequest() {

  public JsonObject toJson() {
    return new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOMS);
  }
}
