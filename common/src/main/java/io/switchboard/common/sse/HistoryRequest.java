package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * HistoryRequest is a gateway's read of a topic's retained events, on {@code Addresses.SSE_HISTORY};
 * sse-service answers with a {@link HistoryPage}. Both sides use this record; sse-service validates
 * it.
 *
 * @param topic the topic
 * @param after the id after which to read, as the client gave it (it may not parse, and then counts
 *     as unknown); null to read from the oldest retained event
 * @param limit the most events to return; 0 only reports the topic's tail
 */
public record HistoryRequest(String topic, String after, int limit) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("topic", topic).put("limit", limit);
    if (after != null) {
      json.put("after", after);
    }
    return json;
  }

  /**
   * Reads a request; a topic or {@code after} of the wrong type reads as null, and a limit that is
   * not an integer as -1, for the receiver to refuse.
   */
  public static HistoryRequest fromJson(JsonObject json) {
    if (json == null) {
      return new HistoryRequest(null, null, -1);
    }
    String topic = json.getValue("topic") instanceof String text ? text : null;
    String after = json.getValue("after") instanceof String text ? text : null;
    int limit = json.getValue("limit") instanceof Integer count ? count : -1;
    return new HistoryRequest(topic, after, limit);
  }
}
