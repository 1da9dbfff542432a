package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * PeerMessages is what one signaling client sends to the peers of its room: relays ({@code sdp},
 * {@code ice-candidate}) to one of them and broadcasts to all. It checks them against the room the
 * client is in, names their sender ({@code from}, and {@code fromUser} when the client has a user)
 * and hands them to the {@link PeerRouter}.
 */
final class PeerMessages {

  private final ClientFrames.Sender sender;
  private final RoomMembership membership;
  private final PeerRouter router;
  private final SessionSocket out;

  PeerMessages(ClientFrames.Sender sender, RoomMembership membership, PeerRouter router, SessionSocket out) {
    this.sender = sender;
    this.membership = membership;
    this.router = router;
    this.out = out;
  }

  /** A relay of {@code type}, as the client wrote it ({@code text}) and as read ({@code message}). */
  void relay(String type, String text, JsonObject message) {
    if (!(message.getValue("target") instanceof String target) || target.isEmpty()) {
      out.error(ErrorCode.BAD_REQUEST, "'" + type + "' needs a string field 'target' with a peer id");
      return;
    }
    RoomPresence presence = membership.presence();
    if (presence == null) {
      out.error(ErrorCode.NOT_JOINED, "Join a room before sending '" + type + "'");
      return;
    }
    String targetNode = presence.nodeOf(target);
    if (targetNode == null) {
      out.error(ErrorCode.UNKNOWN_PEER, "No peer '" + ClientFrames.truncate(target) + "' in room " + presence.room());
      return;
    }
    router.send(targetNode, PeerDelivery.relay(presence.room(), target,
        ClientFrames.withSender(text, message, sender)));
    Relays.relayed();
  }

  void broadcast(JsonObject message) {
    if (!message.containsKey("data")) {
      out.error(ErrorCode.BAD_REQUEST, "'broadcast' needs a field 'data'");
      return;
    }
    RoomPresence presence = membership.presence();
    if (presence == null) {
      out.error(ErrorCode.NOT_JOINED, "Join a room before sending 'broadcast'");
      return;
    }
    JsonObject broadcast = new JsonObject().put("type", "broadcast").put("room", presence.room())
        .put("from", sender.peerId());
    if (sender.user() != null) {
      broadcast.put("fromUser", sender.user());
    }
    String frame = broadcast.put("data", message.getValue("data")).encode();
    PeerDelivery delivery = PeerDelivery.broadcast(presence.room(), sender.peerId(), frame);
    // One delivery per gateway node, not per member: the node hands it to its own members.
    Set<String> nodes = new LinkedHashSet<>(presence.members().values());
    for (String node : nodes) {
      router.send(node, delivery);
    }
  }
}
