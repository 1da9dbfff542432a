package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;

/**
 * RoomPeersRequest is a gateway's request for one room's members, on
 * {@code Addresses.SIGNALING_ROOMS}, for {@code GET /api/rooms/:room}; signaling-service answers
 * with {@link RoomPeers}. Both sides use this record; signaling-service validates it.
 *
 * @param room the room's name
 */
public record RoomPeersRequest(String room) {

  public JsonObject toJson() {
    return new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOM).put("room", room);
  }

  /** Reads a request; a room that is not a string reads as null, for the receiver to refuse. */
  public static RoomPeersRequest fromJson(JsonObject json) {
    return new RoomPeersRequest(json == null ? null : JsonFields.string(json, "room"));
  }
}
