package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * PublishRequest is what a gateway asks sse-service to store and publish, on
 * {@code Addresses.SSE_PUBLISH}. Both sides use this record; sse-service validates it.
 *
 * @param topic the topic
 * @param event the SSE event type, or null for the default {@code message}
 * @param data the event's data: encoded JSON
 * @param key the client's idempotency key; null when the client sent none
 * @param scope whose key it is: keys of different scopes never meet, so one publisher's key
 *     neither replays nor conflicts with another's on the same topic; null for the shared scope
 *     of {@code AUTH_MODE=open}. Absent from the JSON when null.
 */
public record PublishRequest(String topic, String event, String data, String key, String scope) {

  /** A request whose key, if any, is in the shared scope. */
  public PublishRequest(String topic, String event, String data, String key) {
    this(topic, event, data, key, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("topic", topic).put("data", data);
    if (event != null) {
      json.put("event", event);
    }
    if (key != null) {
      json.put("key", key);
    }
    if (scope != null) {
      json.put("scope", scope);
    }
    return json;
  }

  /**
   * Reads a request; a field of the wrong type reads as null, for the receiver to refuse. An
   * {@code event}, {@code key} or {@code scope} that is present but not a string reads as the empty
   * string.
   */
  public static PublishRequest fromJson(JsonObject json) {
    if (json == null) {
      return new PublishRequest(null, null, null, null, null);
    }
    return new PublishRequest(string(json, "topic"), optionalString(json, "event"),
        string(json, "data"), optionalString(json, "key"), optionalString(json, "scope"));
  }

  private static String string(JsonObject json, String field) {
    return json.getValue(field) instanceof String text ? text : null;
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value == null ? null : value instanceof String text ? text : "";
  }
}
