package io.switchboard.common.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SignalingProtocol holds the shapes exchanged on the event bus between gateways and
 * signaling-service: control requests on {@code Addresses.SIGNALING_ROOMS} and the presence
 * events signaling-service delivers to a gateway node's signaling inbox. (Relays and broadcasts
 * go from gateway to gateway in the gateway's own format.)
 */
public final class SignalingProtocol {

  /** A room name: 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
  public static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** What a client is told when a room name breaks {@link #ROOM_NAME}'s rule. */
  public static final String ROOM_NAME_RULE = "A room name is 1 to 64 characters of A-Z a-z 0-9 . _ -";
  /** The same rule, for the {@code room} field of a frame. */
  public static final String ROOM_FIELD_RULE = "'room' must be 1 to 64 characters of A-Z a-z 0-9 . _ -";
  public static final String DEFAULT_ROOM = "lobby";

  // Control requests: {"op": ..., ...}.
  public static final String OP = "op";
  public static final String OP_JOIN = "join";
  public static final String OP_LEAVE = "leave";
  public static final String OP_ROOMS = "rooms";
  public static final String OP_ROOM = "room";

  // Inbox deliveries: {"kind": ..., ...}.
  public static final String KIND = "kind";
  /** Members joined or left a room: {@code room, version, joined {peer: node}, left [peer]}. */
  public static final String KIND_PRESENCE = "presence";

  private SignalingProtocol() {
  }

  public static boolean validRoom(String room) {
    return room != null && ROOM_NAME.matcher(room).matches();
  }

  public static JsonObject joinRequest(String room, String peer, String node, String leaving) {
    return new JsonObject().put(OP, OP_JOIN).put("room", room).put("peer", peer).put("node", node)
        .put("leave", leaving);
  }

  public static JsonObject leaveRequest(String room, String peer) {
    return new JsonObject().put(OP, OP_LEAVE).put("room", room).put("peer", peer);
  }

  public static JsonObject presence(String room, long version, Map<String, String> joined,
      Collection<String> left) {
    return new JsonObject().put(KIND, KIND_PRESENCE).put("room", room).put("version", version)
        .put("joined", members(joined))
        .put("left", new JsonArray(List.copyOf(left)));
  }

  /** Peer id to node id as a JSON object, in the map's order. */
  public static JsonObject members(Map<String, String> members) {
    JsonObject json = new JsonObject();
    members.forEach(json::put);
    return json;
  }
}
