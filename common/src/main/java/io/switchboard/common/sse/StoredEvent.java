package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * StoredEvent is one event of a topic as retained in history: an item of a {@link HistoryPage},
 * and, with its topic added, what sse-service publishes to gateways on {@code Addresses.SSE_EVENTS}.
 *
 * @param id the event's id
 * @param event the SSE event type, or null for the default {@code message}
 * @param data the event's data: one line of encoded JSON
 */
public record StoredEvent(EventId id, String event, String data) {

  /** {@code {"id":..., "event":..., "data":...}}, the type left out when null. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString());
    if (event != null) {
      json.put("event", event);
    }
    return json.put("data", data);
  }

  /**
   * Reads an event; null when it is malformed: an id that does not parse, data that is not a string,
   * or a type that is present but not a string.
   */
  public static StoredEvent fromJson(JsonObject json) {
    if (json == null || !(json.getValue("id") instanceof String text)
        || !(json.getValue("data") instanceof String data)) {
      return null;
    }
    EventId id = EventId.parse(text).orElse(null);
    Object type = json.getValue("event");
    if (id == null || (type != null && !(type instanceof String))) {
      return null;
    }
    return new StoredEvent(id, (String) type, data);
  }
}
