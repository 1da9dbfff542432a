package io.switchboard.gateway.sse;

import io.switchboard.common.sse.EventId;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * LiveEvent is an event of a topic ready to write: its parsed id, its frame, and the frame as an
 * HTTP/1.1 chunk, encoded once and shared by every subscriber on one of the gateway's event loops.
 */
record LiveEvent(EventId id, Buffer frame, byte[] chunk) {

  /** From sse-service's JSON form {@code {"id", "event"?, "data"}}; null when malformed. */
  static LiveEvent fromJson(JsonObject json) {
    if (!(json.getValue("id") instanceof String text) || !(json.getValue("data") instanceof String data)) {
      return null;
    }
    EventId id = EventId.parse(text).orElse(null);
    Object type = json.getValue("event");
    if (id == null || (type != null && !(type instanceof String))) {
      return null;
    }
    Buffer frame = SseWriter.event(text, (String) type, data);
    return new LiveEvent(id, frame, SseWriter.chunk(frame));
  }

  long position() {
    return id.position();
  }
}
