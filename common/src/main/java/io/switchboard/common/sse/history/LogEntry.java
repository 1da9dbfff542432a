package io.switchboard.common.sse.history;

/**
 * LogEntry is one stored event of a topic.
 *
 * @param sequence the event's place in its topic, from 0; its id's position is {@code sequence + 1}
 * @param type the SSE event type, or null for the default {@code message}
 * @param data the event's data: one line of encoded JSON
 * @param storedAt when it was stored, in milliseconds since the epoch, for expiry
 */
public record LogEntry(long sequence, String type, String data, long storedAt) {
}
