package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * PublishRequest is what a gateway asks sse-service to store and publish, on
 * {@code Addresses.SSE_PUBLISH}. Both sides use this record; sse-service validates it.
 *
 * <p>{@code scope}, {@code creator} and {@code rateExempt} are optional on the bus: a request
 * without them is served as before they existed, its key in the shared scope and with no limit on
 * the topics it creates.
 *
 * @param topic the topic
 * @param event the SSE event type, or null for the default {@code message}
 * @param data the event's data: encoded JSON
 * @param key the client's idempotency key; null when the client sent none
 * @param scope whose key it is: keys of different scopes never meet, so one publisher's key
 *     neither replays nor conflicts with another's on the same topic; null for the shared scope
 *     of {@code AUTH_MODE=open}. Absent from the JSON when null.
 * @param creator who publishes, as far as creating topics goes: the client's address, or its user
 *     when it has one; its topic creations are rate-limited. Null when unknown: not limited
 * @param rateExempt true for a publisher never limited in the topics it creates (a backend with an
 *     API key)
 * @param deadline when the gateway stops waiting for the answer, in Hazelcast's cluster time
 *     (milliseconds since the epoch on the clock the members agree on), or 0 for none: sse-service
 *     stores nothing after it. A request can be received long after it was sent, by a member that
 *     was frozen meanwhile; by then the client was answered 504 and may have published again.
 *     Absent from the JSON when 0.
 */
public record PublishRequest(String topic, String event, String data, String key, String scope,
    String creator, boolean rateExempt, long deadline) {

  /** A request whose key, if any, is in the shared scope, without a creator. */
  public PublishRequest(String topic, String event, String data, String key) {
    this(topic, event, data, key, null);
  }

  /** A request without a creator, as sent before creations were limited. */
  public PublishRequest(String topic, String event, String data, String key, String scope) {
    this(topic, event, data, key, scope, null, false);
  }

  /** A request without a deadline. */
  public PublishRequest(String topic, String event, String data, String key, String scope,
      String creator, boolean rateExempt) {
    this(topic, event, data, key, scope, creator, rateExempt, 0);
  }

  /** The same request, to be stored before {@code deadline} (cluster time) or not at all. */
  public PublishRequest withDeadline(long deadline) {
    return new PublishRequest(topic, event, data, key, scope, creator, rateExempt, deadline);
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
    if (creator != null) {
      json.put("creator", creator);
    }
    if (rateExempt) {
      json.put("rateExempt", true);
    }
    if (deadline != 0) {
      json.put("deadline", deadline);
    }
    return json;
  }

  /**
   * Reads a request; a field of the wrong type reads as null, for the receiver to refuse. An
   * {@code event}, {@code key}, {@code scope} or {@code creator} that is present but not a string
   * reads as the empty string; {@code rateExempt} is true only when it is the boolean true; a
   * {@code deadline} that is not an integer reads as 0, none.
   */
  public static PublishRequest fromJson(JsonObject json) {
    if (json == null) {
      return new PublishRequest(null, null, null, null);
    }
    return new PublishRequest(string(json, "topic"), optionalString(json, "event"),
        string(json, "data"), optionalString(json, "key"), optionalString(json, "scope"),
        optionalString(json, "creator"), Boolean.TRUE.equals(json.getValue("rateExempt")),
        deadline(json));
  }

  private static long deadline(JsonObject json) {
    Object value = json.getValue("deadline");
    return value instanceof Long || value instanceof Integer ? ((Number) value).longValue() : 0;
  }

  private static String string(JsonObject json, String field) {
    return json.getValue(field) instanceof String text ? text : null;
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value == null ? null : value instanceof String text ? text : "";
  }
}
