package io.switchboard.gateway.sse;

import io.switchboard.common.sse.EventId;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * LiveEvent is an event of a topic ready to write: its parsed id and its frame, encoded once and
 * shared by every subscriber of the gateway.
 */
record LiveEvent(EventId id, Buffer frame) {

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
    return new LiveEvent(id, SseWriter.event(text, (String) type, data));
  }

  long position() {
    return id.position();
  }
}
