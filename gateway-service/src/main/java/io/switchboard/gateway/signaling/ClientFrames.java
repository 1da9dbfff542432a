package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.SignalingProtocol;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** ClientFrames reads and extends the frames a signaling client sends. */
final class ClientFrames {

  private ClientFrames() {
  }

  /**
   * Who sends a connection's relays: its peer id and its user (null when it has none), with the
   * fields that name them, {@code "from"} and {@code "fromUser"}, as JSON text made once.
   */
  record Sender(String peerId, String user, String fields) {

    static Sender of(String peerId, String user) {
      // Peer ids are URL-safe Base64: nothing in them needs escaping. A user may need it.
      String from = "\"from\":\"" + peerId + "\"";
      return new Sender(peerId, user, user == null ? from : from + ",\"fromUser\":" + Json.encode(user));
    }
  }

  /**
   * The client's frame with {@code "from"} set to the sender's peer id and {@code "fromUser"} to its
   * user, or without {@code "fromUser"} when it has none, whatever the client put there: a peer
   * cannot pose as another peer or user. The usual frame has neither and is extended as text, so it
   * is relayed byte for byte as the client wrote it, without being encoded again.
   */
  static String withSender(String text, JsonObject message, Sender sender) {
    if (message.containsKey("from") || message.containsKey("fromUser")) {
      message.put("from", sender.peerId());
      if (sender.user() == null) {
        message.remove("fromUser");
      } else {
        message.put("fromUser", sender.user());
      }
      return message.encode();
    }
    // Strict JSON with nothing after the value: the text ends with the object's closing brace,
    // perhaps followed by whitespace.
    int end = text.lastIndexOf('}');
    int last = end - 1;
    while (last >= 0 && Character.isWhitespace(text.charAt(last))) {
      last--;
    }
    String separator = text.charAt(last) == '{' ? "" : ",";
    return text.substring(0, end) + separator + sender.fields() + "}";
  }

  /** True when {@code text} takes more than {@code max} bytes in UTF-8. */
  static boolean tooLarge(String text, int max) {
    if (text.length() > max) {
      return true;
    }
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit: only count when it could matter.
    return (long) text.length() * 3 > max && text.getBytes(StandardCharsets.UTF_8).length > max;
  }

  /** The room a join asks for, the default one when it names none; null when the name is not valid. */
  static String room(JsonObject join) {
    Object value = join.getValue("room");
    String room = value == null ? SignalingProtocol.DEFAULT_ROOM : value instanceof String name ? name : null;
    return SignalingProtocol.validRoom(room) ? room : null;
  }

  /** Client text quoted in an error, cut to a readable length. */
  static String truncate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
