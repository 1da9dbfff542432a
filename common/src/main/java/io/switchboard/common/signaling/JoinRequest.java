package io.switchboard.common.signaling;

import io.vertx.core.json.JsonObject;

/**
 * JoinRequest is a gateway's request that one of its peers join a room, on
 * {@code Addresses.SIGNALING_ROOMS}; signaling-service answers with a {@link JoinReply}, or fails
 * it with {@code room-full}. Both sides use this record; signaling-service validates it.
 *
 * @param room the room to join
 * @param peer the joining peer id
 * @param node the gateway node the peer is connected to
 * @param leave the room the peer leaves once it is in, or null
 * @param user the peer's user (its token's {@code sub}), or null when it has none, as in
 *     {@code AUTH_MODE=open}
 */
public record JoinRequest(String room, String peer, String node, String leave, String user) {

  /** The request of a peer without a user. */
  public JoinRequest(String room, String peer, String node, String leave) {
    this(room, peer, node, leave, null);
  }

  /** {@code leave} is sent as JSON null when there is none; {@code user} is left out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_JOIN).put("room", room)
        .put("peer", peer).put("node", node).put("leave", leave);
    if (user != null) {
      json.put("user", user);
    }
    return json;
  }

  /** Reads a request; a field of the wrong type reads as null, for the receiver to refuse. */
  public static JoinRequest fromJson(JsonObject json) {
    if (json == null) {
      return new JoinRequest(null, null, null, null);
    }
    return new JoinRequest(JsonFields.string(json, "room"), JsonFields.string(json, "peer"),
        JsonFields.string(json, "node"), JsonFields.string(json, "leave"), JsonFields.string(json, "user"));
  }
}
