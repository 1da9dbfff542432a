package io.switchboard.common.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RoomList is signaling-service's answer to a {@link RoomListRequest}, and the body of
 * {@code GET /api/rooms}: the rooms that have members, sorted by name.
 *
 * @param rooms each room with its member count
 */
public record RoomList(List<RoomSummary> rooms) {

  public RoomList {
    rooms = List.copyOf(rooms);
  }

  /** The rooms of a room name to member count map, in the map's order. */
  public static RoomList of(Map<String, Integer> sizes) {
    List<RoomSummary> rooms = new ArrayList<>();
    sizes.forEach((room, peers) -> rooms.add(new RoomSummary(room, peers)));
    return new RoomList(rooms);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (RoomSummary room : rooms) {
      list.add(room.toJson());
    }
    return new JsonObject().put("rooms", list);
  }

  /** Reads a list; malformed rooms are left out. */
  public static RoomList fromJson(JsonObject json) {
    List<RoomSummary> rooms = new ArrayList<>();
    if (json != null && json.getValue("rooms") instanceof JsonArray items) {
      for (Object item : items) {
        RoomSummary room = item instanceof JsonObject object ? RoomSummary.fromJson(object) : null;
        if (room != null) {
          rooms.add(room);
        }
      }
    }
    return new RoomList(rooms);
  }
}
