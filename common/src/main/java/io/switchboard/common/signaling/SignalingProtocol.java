package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * SignalingProtocol holds the rules and names shared by the messages exchanged on the event bus
 * between gateways and signaling-service. Control requests go to {@code Addresses.SIGNALING_ROOMS},
 * each a record that tells its kind by its op: {@link JoinRequest}, {@link LeaveRequest},
 * {@link RoomListRequest} and {@link RoomPeersRequest}, answered by {@link JoinReply},
 * {@link LeaveReply}, {@link RoomList} and {@link RoomPeers}. signaling-service delivers
 * {@link PresenceEvent}s to a gateway node's signaling inbox. (Relays and broadcasts go from
 * gateway to gateway in the gateway's own binary format.)
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
  /** Members joined or left a room: a {@link PresenceEvent}. */
  public static final String KIND_PRESENCE = "presence";

  private SignalingProtocol() {
  }

  public static boolean validRoom(String room) {
    return room != null && ROOM_NAME.matcher(room).matches();
  }

  /** The op of a control request, or null when it has none or it is not a string. */
  public static String op(JsonObject request) {
    return request != null && request.getValue(OP) instanceof String op ? op : null;
  }
}
