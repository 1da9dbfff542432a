package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * PublishReply is sse-service's answer to a {@link PublishRequest}.
 *
 * @param topic the topic
 * @param id the event's id
 * @param replayed true when the idempotency key had stored this event already, and nothing new
 *     was stored
 */
public record PublishReply(String topic, String id, boolean replayed) {

  public JsonObject toJson() {
    return new JsonObject().put("topic", topic).put("id", id).put("replayed", replayed);
  }

  public static PublishReply fromJson(JsonObject json) {
    return new PublishReply(json.getString("topic"), json.getString("id"),
        json.getBoolean("replayed", false));
  }

  /** The body a client sees, the same for the first attempt and every replay. */
  public JsonObject toClientJson() {
    return new JsonObject().put("topic", topic).put("id", id);
  }
}
