package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;

/**
 * RoomSummary is one room of a {@link RoomList}.
 *
 * @param room the room's name
 * @param peers how many members it has
 */
public record RoomSummary(String room, int peers) {

  public JsonObject toJson() {
    return new JsonObject().put("room", room).put("peers", peers);
  }

  /** Reads a summary; null when the room is not a string, and a count that is not a number reads as 0. */
  public static RoomSummary fromJson(JsonObject json) {
    String room = json == null ? null : JsonFields.string(json, "room");
    return room == null ? null : new RoomSummary(room, (int) JsonFields.number(json, "peers"));
  }
}
