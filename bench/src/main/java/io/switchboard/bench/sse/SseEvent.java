package io.switchboard.bench.sse;

/** SseEvent is one dispatched Server-Sent Event: its id (or null), type (or null) and data. */
public record SseEvent(String id, String event, String data) {
}
