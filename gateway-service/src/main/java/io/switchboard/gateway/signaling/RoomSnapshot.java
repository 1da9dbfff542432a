package io.switchboard.gateway.signaling;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RoomSnapshot is a room as a join found it: its version and its members, each with the gateway
 * node it is connected to, in join order.
 *
 * @param version the room's version when the peer joined
 * @param members peer id to gateway node id, the joining peer included
 * @param leftPrevious true when the join also left the room the peer was in before
 */
record RoomSnapshot(long version, Map<String, String> members, boolean leftPrevious) {

  /** The snapshot in signaling-service's reply to a join. */
  static RoomSnapshot fromReply(JsonObject reply) {
    Map<String, String> members = new LinkedHashMap<>();
    reply.getJsonObject("members", new JsonObject())
        .forEach(entry -> members.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new RoomSnapshot(reply.getLong("version", 0L), members, reply.getString("left") != null);
  }
}
