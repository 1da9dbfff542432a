package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * JoinReply is signaling-service's answer to a {@link JoinRequest}: the room as the join left it,
 * which the gateway starts the peer's view of the room from.
 *
 * @param room the room joined
 * @param version the room's version after the join; presence events older than it are stale
 * @param members peer id to gateway node id, in join order, the joining peer included
 * @param left the room the join also left, or null when it left none
 * @param users peer id to user of the members that have one, the joining peer included
 */
public record JoinReply(String room, long version, Map<String, String> members, String left,
    Map<String, String> users) {

  public JoinReply {
    members = JsonFields.copyOf(members);
    users = JsonFields.copyOf(users);
  }

  /** The reply for a room whose members have no users. */
  public JoinReply(String room, long version, Map<String, String> members, String left) {
    this(room, version, members, left, Map.of());
  }

  /** True when the join also left the room the peer was in before. */
  public boolean leftAnother() {
    return left != null;
  }

  /** {@code left} is left out when null, {@code users} when empty. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("room", room).put("version", version)
        .put("members", JsonFields.members(members));
    if (left != null) {
      json.put("left", left);
    }
    if (!users.isEmpty()) {
      json.put("users", JsonFields.members(users));
    }
    return json;
  }

  /**
   * Reads a reply; a missing version reads as 0, and members whose node is not a string, or users
   * that are not strings, are left out.
   */
  public static JoinReply fromJson(JsonObject json) {
    if (json == null) {
      return new JoinReply(null, 0, Map.of(), null);
    }
    return new JoinReply(JsonFields.string(json, "room"), JsonFields.number(json, "version"),
        JsonFields.members(json, "members"), JsonFields.string(json, "left"), JsonFields.members(json, "users"));
  }
}
