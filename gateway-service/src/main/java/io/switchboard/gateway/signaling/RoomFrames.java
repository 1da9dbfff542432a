package io.switchboard.gateway.signaling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RoomFrames builds the frames that tell a signaling client about its room: {@code joined},
 * {@code left}, {@code peer-joined} and {@code peer-left}. A peer's user goes with it when it has
 * one: every member's in the {@code users} of {@code joined}, the peer's in the {@code user} of the
 * others. In open mode nobody has a user and the fields are absent.
 */
final class RoomFrames {

  /**
   * The {@code reason} of a {@code left} frame for a peer removed because the room, merged after a
   * split of the cluster, held more than its capacity and the peer was among its latest joiners.
   */
  static final String OVER_CAPACITY = "over-capacity";
  /** The reason of a {@code left} for a peer an operator took out of its room. */
  static final String KICKED = "kicked";
  /**
   * The reason of a {@code left} for a peer the cluster evicted while it took the peer's gateway for
   * lost, and that could not be put back in its room.
   */
  static final String EVICTED = "evicted";
  /** The reason of a {@code left} for a peer whose refreshed token no longer allows its room. */
  static final String FORBIDDEN = "forbidden";

  private RoomFrames() {
  }

  /** {@code self}, whose user is {@code selfUser} (may be null), is in the room of {@code presence}. */
  static JsonObject joined(String self, String selfUser, RoomPresence presence) {
    JsonObject frame = new JsonObject().put("type", "joined").put("room", presence.room()).put("id", self)
        .put("peers", new JsonArray(presence.peers()));
    Map<String, Object> users = new LinkedHashMap<>(presence.users());
    if (selfUser != null) {
      users.put(self, selfUser);
    }
    if (!users.isEmpty()) {
      frame.put("users", new JsonObject(users));
    }
    return frame;
  }

  /** {@code reason} is null, and left out, for a leave the client asked for. */
  static JsonObject left(String room, String reason) {
    JsonObject frame = new JsonObject().put("type", "left").put("room", room);
    return reason == null ? frame : frame.put("reason", reason);
  }

  static JsonObject peerJoined(String room, String peer, String user) {
    return peerFrame("peer-joined", room, peer, user);
  }

  static JsonObject peerLeft(String room, String peer, String user) {
    return peerFrame("peer-left", room, peer, user);
  }

  private static JsonObject peerFrame(String type, String room, String peer, String user) {
    JsonObject frame = new JsonObject().put("type", type).put("room", room).put("data", peer);
    return user == null ? frame : frame.put("user", user);
  }
}
