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
 * @param users peer id to user of the members that joined and have one (gateways know the users of
 *     those that leave)
 */
public record PresenceEvent(String room, long version, Map<String, String> joined, List<String> left,
    Map<String, String> users) {

  public PresenceEvent {
    joined = JsonFields.copyOf(joined);
    left = List.copyOf(left);
    users = JsonFields.copyOf(users);
  }

  /** An event about members without users. */
  public PresenceEvent(String room, long version, Map<String, String> joined, List<String> left) {
    this(room, version, joined, left, Map.of());
  }

  /** {@code peer}, connected to gateway node {@code node}, joined. */
  public static PresenceEvent joined(String room, long version, String peer, String node) {
    return joined(room, version, peer, node, null);
  }

  /** {@code peer}, connected to gateway node {@code node}, joined as {@code user} (may be null). */
  public static PresenceEvent joined(String room, long version, String peer, String node, String user) {
    return new PresenceEvent(room, version, Map.of(peer, node), List.of(),
        user == null ? Map.of() : Map.of(peer, user));
  }

  /** {@code peers} left. */
  public static PresenceEvent left(String room, long version, Collection<String> peers) {
    return new PresenceEvent(room, version, Map.of(), List.copyOf(peers));
  }

  /** {@code users} is left out when empty. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(SignalingProtocol.KIND, SignalingProtocol.KIND_PRESENCE)
        .put("room", room).put("version", version).put("joined", JsonFields.members(joined))
        .put("left", new JsonArray(new ArrayList<>(left)));
    if (!users.isEmpty()) {
      json.put("users", JsonFields.members(users));
    }
    return json;
  }

  /**
   * Reads an event; null when it is not a presence event or names no room. A missing version reads
   * as 0, and joined members whose node is not a string, users that are not strings, or left peers
   * that are not strings, are left out.
   */
  public static PresenceEvent fromJson(JsonObject json) {
    if (json == null || !SignalingProtocol.KIND_PRESENCE.equals(json.getValue(SignalingProtocol.KIND))) {
      return null;
    }
    String room = JsonFields.string(json, "room");
    return room == null ? null : new PresenceEvent(room, JsonFields.number(json, "version"),
        JsonFields.members(json, "joined"), JsonFields.strings(json, "left"), JsonFields.members(json, "users"));
  }
}
