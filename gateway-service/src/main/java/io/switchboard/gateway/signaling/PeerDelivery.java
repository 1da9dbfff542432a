package io.switchboard.gateway.signaling;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PeerDelivery is a frame from one peer for others of its room: a relay to one target, or a
 * broadcast to every member but its sender. The frame is JSON text, encoded once by the sender's
 * gateway and written to the recipients' sockets as it is.
 *
 * <p>Between gateway nodes, deliveries travel in batches as one {@link Buffer}: their count (int),
 * then for each its kind (one byte: 0 relay, 1 broadcast) and three strings, each its UTF-8 length
 * (int) and bytes: the room, the target (relay) or the sender (broadcast), and the frame.
 *
 * @param broadcast true for a broadcast, false for a relay
 * @param room the room the frame is for
 * @param peer the target of a relay, or the sender of a broadcast
 * @param frame the frame to write, JSON text
 */
record PeerDelivery(boolean broadcast, String room, String peer, String frame) {

  static PeerDelivery relay(String room, String target, String frame) {
    return new PeerDelivery(false, room, target, frame);
  }

  static PeerDelivery broadcast(String room, String from, String frame) {
    return new PeerDelivery(true, room, from, frame);
  }

  static Buffer encode(List<PeerDelivery> deliveries) {
    Buffer buffer = Buffer.buffer(256).appendInt(deliveries.size());
    for (PeerDelivery delivery : deliveries) {
      buffer.appendByte((byte) (delivery.broadcast ? 1 : 0));
      appendString(buffer, delivery.room);
      appendString(buffer, delivery.peer);
      appendString(buffer, delivery.frame);
    }
    return buffer;
  }

  /**
   * The deliveries of an encoded batch.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed batch
   */
  static List<PeerDelivery> decode(Buffer buffer) {
    int[] position = {0};
    int count = readInt(buffer, position);
    // Each delivery takes at least its kind and three lengths.
    if (count < 0 || count > buffer.length() / 13) {
      throw new IllegalArgumentException("Bad delivery count " + count);
    }
    List<PeerDelivery> deliveries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (position[0] >= buffer.length()) {
        throw new IllegalArgumentException("Delivery batch truncated at " + i + " of " + count);
      }
      byte kind = buffer.getByte(position[0]++);
      if (kind != 0 && kind != 1) {
        throw new IllegalArgumentException("Unknown delivery kind " + kind);
      }
      String room = readString(buffer, position);
      String peer = readString(buffer, position);
      String frame = readString(buffer, position);
      deliveries.add(new PeerDelivery(kind == 1, room, peer, frame));
    }
    if (position[0] != buffer.length()) {
      throw new IllegalArgumentException("Bytes left over after " + count + " deliveries");
    }
    return deliveries;
  }

  private static void appendString(Buffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static int readInt(Buffer buffer, int[] position) {
    if (position[0] + 4 > buffer.length()) {
      throw new IllegalArgumentException("Delivery batch truncated");
    }
    int value = buffer.getInt(position[0]);
    position[0] += 4;
    return value;
  }

  private static String readString(Buffer buffer, int[] position) {
    int length = readInt(buffer, position);
    // Compared by subtraction: position + length could overflow.
    if (length < 0 || length > buffer.length() - position[0]) {
      throw new IllegalArgumentException("Delivery batch truncated");
    }
    String text = buffer.getString(position[0], position[0] + length, "UTF-8");
    position[0] += length;
    return text;
  }
}
