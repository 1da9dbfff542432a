package io.switchboard.sse;

import io.switchboard.common.sse.EventId;
import io.vertx.core.json.JsonObject;

/**
 * StoredEvent is one event of a topic as retained in history and delivered to gateways.
 *
 * @param id the event's id
 * @param type the SSE event type, or null for the default {@code message}
 * @param data the event's data: one line of encoded JSON
 */
public record StoredEvent(EventId id, String type, String data) {

  /** The ring-buffer item: the type (empty when none), a newline, then the data. */
  String encode() {
    return (type == null ? "" : type) + "\n" + data;
  }

  static StoredEvent decode(String epoch, long sequence, String item) {
    int newline = item.indexOf('\n');
    String type = newline <= 0 ? null : item.substring(0, newline);
    return new StoredEvent(EventId.ofSequence(epoch, sequence), type, item.substring(newline + 1));
  }

  /** The event as sent to gateways: {@code {"id":..., "event":..., "data":...}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString());
    if (type != null) {
      json.put("event", type);
    }
    return json.put("data", data);
  }
}
