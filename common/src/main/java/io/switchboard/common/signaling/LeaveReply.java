package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;

/**
 * LeaveReply is signaling-service's answer to a {@link LeaveRequest}.
 *
 * @param room the room left
 * @param removed true when the peer was a member and is not any more; false when it was not in the
 *     room
 */
public record LeaveReply(String room, boolean removed) {

  public JsonObject toJson() {
    return new JsonObject().put("room", room).put("removed", removed);
  }

  /** Reads a reply; {@code removed} reads as false unless it is true. */
  public static LeaveReply fromJson(JsonObject json) {
    if (json == null) {
      return new LeaveReply(null, false);
    }
    return new LeaveReply(JsonFields.string(json, "room"), Boolean.TRUE.equals(json.getValue("removed")));
  }
}
