package io.switchboard.common.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * RoomPeers is signaling-service's answer to a {@link RoomPeersRequest}, and the body of
 * {@code GET /api/rooms/:room}: one room's members.
 *
 * @param room the room's name
 * @param peers the members' peer ids in join order; empty when nobody is in the room
 */
public record RoomPeers(String room, List<String> peers) {

  public RoomPeers {
    peers = List.copyOf(peers);
  }

  public JsonObject toJson() {
    return new JsonObject().put("room", room).put("peers", new JsonArray(new ArrayList<>(peers)));
  }

  /** Reads an answer; peer ids that are not strings are left out. */
  public static RoomPeers fromJson(JsonObject json) {
    if (json == null) {
      return new RoomPeers(null, List.of());
    }
    return new RoomPeers(JsonFields.string(json, "room"), JsonFields.strings(json, "peers"));
  }
}
