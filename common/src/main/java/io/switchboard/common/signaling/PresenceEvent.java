package io.switchboard.common.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * PresenceEvent tells a gateway node that members joined or left a room its peers are in. The
 * signaling-service instance that changed the room (by a join, a leave, or the eviction of a lost
 * node's peers) sends it to the signaling inbox of each gateway node that hosts one of the room's
 * other members, {@code Addresses.gatewaySignaling(node)}. Both sides use this record.
 *
 * @param room the room
 * @param version the room's version after the change; gateways apply only what is newer than what
 *     they know
 * @param joined peer id to gateway node id of the members that joined
 * @param left the peer ids of the members that left
 */
public record PresenceEvent(String room, long version, Map<String, String> joined, List<String> left) {

  public PresenceEvent {
    joined = JsonFields.copyOf(joined);
    left = List.copyOf(left);
  }

  /** {@code peer}, connected to gateway node {@code node}, joined. */
  public static PresenceEvent joined(String room, long version, String peer, String node) {
    return new PresenceEvent(room, version, Map.of(peer, node), List.of());
  }

  /** {@code peers} left. */
  public static PresenceEvent left(String room, long version, Collection<String> peers) {
    return new PresenceEvent(room, version, Map.of(), List.copyOf(peers));
  }

  public JsonObject toJson() {
    return new JsonObject().put(SignalingProtocol.KIND, SignalingProtocol.KIND_PRESENCE).put("room", room)
        .put("version", version).put("joined", JsonFields.members(joined))
        .put("left", new JsonArray(new ArrayList<>(left)));
  }

  /**
   * Reads an event; null when it is not a presence event or names no room. A missing version reads
   * as 0, and joined members whose node is not a string, or left peers that are not strings, are
   * left out.
   */
  public static PresenceEvent fromJson(JsonObject json) {
    if (json == null || !SignalingProtocol.KIND_PRESENCE.equals(json.getValue(SignalingProtocol.KIND))) {
      return null;
    }
    String room = JsonFields.string(json, "room");
    return room == null ? null : new PresenceEvent(room, JsonFields.number(json, "version"),
        JsonFields.members(json, "joined"), JsonFields.strings(json, "left"));
  }
}
