package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;

/**
 * LeaveRequest is a gateway's request that one of its peers leave a room, on
 * {@code Addresses.SIGNALING_ROOMS}; signaling-service answers with a {@link LeaveReply}. Both sides
 * use this record; signaling-service validates it.
 *
 * @param room the room to leave
 * @param peer the leaving peer id
 */
public record LeaveRequest(String room, String peer) {

  public JsonObject toJson() {
    return new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_LEAVE).put("room", room)
        .put("peer", peer);
  }

  /** Reads a request; a field of the wrong type reads as null, for the receiver to refuse. */
  public static LeaveRequest fromJson(JsonObject json) {
    if (json == null) {
      return new LeaveRequest(null, null);
    }
    return new LeaveRequest(JsonFields.string(json, "room"), JsonFields.string(json, "peer"));
  }
}
