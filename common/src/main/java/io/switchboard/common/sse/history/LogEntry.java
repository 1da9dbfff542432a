package io.switchboard.common.sse.history;

import java.nio.charset.StandardCharsets;

/**
 * LogEntry is one stored event of a topic.
 *
 * <p>The data is kept as its UTF-8 bytes: what a client sent, at one byte per ASCII character,
 * whatever characters the rest of it holds, and counted as such against the topic's byte budget.
 *
 * @param sequence the event's place in its topic, from 0; its id's position is {@code sequence + 1}
 * @param type the SSE event type, or null for the default {@code message}
 * @param data the event's data, one line of encoded JSON, in UTF-8; never changed once stored
 * @param storedAt when it was stored, in milliseconds since the epoch, for expiry
 */
public record LogEntry(long sequence, String type, byte[] data, long storedAt) {

  /**
   * What one event costs beside its data and type, counted high: the entry, the array header, the
   * type's string and a slot in the log's array.
   */
  public static final int OVERHEAD_BYTES = 128;

  /** The data as text. */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** What the event takes in memory, as counted against its topic's byte budget. */
  public long bytes() {
    return bytes(type, data.length);
  }

  /** What an event of type {@code type} with {@code dataBytes} bytes of data takes. */
  public static long bytes(String type, int dataBytes) {
    // Two bytes a character: the type's string may hold characters beyond Latin-1.
    return OVERHEAD_BYTES + dataBytes + (type == null ? 0 : 2L * type.length());
  }
}
