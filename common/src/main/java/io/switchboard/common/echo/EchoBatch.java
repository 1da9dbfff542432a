package io.switchboard.common.echo;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * EchoBatch is the body of one echo request that carries several WebSocket messages: those a
 * gateway read during one event-loop turn, from any of its connections. One event-bus round trip
 * (a reply handler, a timeout, a write between JVMs) then serves every message in the batch.
 *
 * <p>Layout: the number of messages (int), then for each message its kind ({@link #TEXT} or
 * {@link #BINARY}, one byte), its length in bytes (int) and its bytes, text in UTF-8. A reply has
 * the same layout, with one answer per message, in the same order.
 */
public final class EchoBatch {

  public static final byte TEXT = 0;
  public static final byte BINARY = 1;
  /** Bytes a message adds to a batch besides its own: its kind and its length. */
  public static final int ENTRY_OVERHEAD = 5;

  private final Buffer buffer;
  private int count;

  public EchoBatch() {
    this(256);
  }

  /** A batch whose buffer starts with room for {@code initialBytes}. */
  public EchoBatch(int initialBytes) {
    buffer = Buffer.buffer(initialBytes).appendInt(0);
  }

  /** Appends a text message. */
  public EchoBatch addText(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.appendByte(TEXT).appendInt(bytes.length).appendBytes(bytes);
    count++;
    return this;
  }

  /** Appends a binary message. */
  public EchoBatch addBinary(Buffer bytes) {
    buffer.appendByte(BINARY).appendInt(bytes.length()).appendBuffer(bytes);
    count++;
    return this;
  }

  /** Appends a message of {@code kind} whose bytes are {@code length} bytes of {@code source}. */
  public EchoBatch add(byte kind, Buffer source, int start, int length) {
    buffer.appendByte(kind).appendInt(length).appendBuffer(source, start, length);
    count++;
    return this;
  }

  /** Appends a message of {@code kind} made of {@code prefix} followed by bytes of {@code source}. */
  public EchoBatch add(byte kind, byte[] prefix, Buffer source, int start, int length) {
    buffer.appendByte(kind).appendInt(prefix.length + length).appendBytes(prefix)
        .appendBuffer(source, start, length);
    count++;
    return this;
  }

  public int count() {
    return count;
  }

  /** The encoded size so far. */
  public int byteLength() {
    return buffer.length();
  }

  /** The encoded batch. */
  public Buffer toBuffer() {
    buffer.setInt(0, count);
    return buffer;
  }

  /** Receives the messages of an encoded batch, in order, as slices of the batch's bytes. */
  public interface Visitor {
    void message(byte kind, Buffer batch, int start, int length);
  }

  /**
   * Visits every message of an encoded batch; returns their number.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed batch
   */
  public static int read(Buffer batch, Visitor visitor) {
    if (batch.length() < 4) {
      throw new IllegalArgumentException("An echo batch starts with its message count");
    }
    int count = batch.getInt(0);
    int position = 4;
    for (int i = 0; i < count; i++) {
      if (position + ENTRY_OVERHEAD > batch.length()) {
        throw new IllegalArgumentException("Echo batch truncated at message " + i + " of " + count);
      }
      byte kind = batch.getByte(position);
      int length = batch.getInt(position + 1);
      int start = position + ENTRY_OVERHEAD;
      // Compared by subtraction: start + length could overflow.
      if ((kind != TEXT && kind != BINARY) || length < 0 || length > batch.length() - start) {
        throw new IllegalArgumentException("Malformed message " + i + " in an echo batch");
      }
      visitor.message(kind, batch, start, length);
      position = start + length;
    }
    if (position != batch.length()) {
      throw new IllegalArgumentException("Bytes left over after the " + count + " messages of an echo batch");
    }
    return count;
  }

  /** Decodes an encoded batch into its messages: a {@link String} per text, a {@link Buffer} per binary. */
  public static List<Object> decode(Buffer batch) {
    List<Object> messages = new ArrayList<>();
    read(batch, (kind, bytes, start, length) -> messages.add(kind == TEXT
        ? bytes.getString(start, start + length, "UTF-8")
        : bytes.getBuffer(start, start + length)));
    return messages;
  }
}
