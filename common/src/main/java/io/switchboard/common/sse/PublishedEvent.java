package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * PublishedEvent is a stored event as sse-service publishes it to every gateway on
 * {@code Addresses.SSE_EVENTS}: the {@link StoredEvent}'s fields and its topic.
 *
 * @param topic the topic
 * @param event the event
 */
public record PublishedEvent(String topic, StoredEvent event) {

  public JsonObject toJson() {
    return event.toJson().put("topic", topic);
  }

  /**
   * The topic of a published event, or null: read first, so that a gateway drops the events of
   * topics it has no subscriber for before it reads anything else.
   */
  public static String topicOf(JsonObject json) {
    return json != null && json.getValue("topic") instanceof String topic ? topic : null;
  }

  /** The event of a published event; null when malformed. */
  public static StoredEvent eventOf(JsonObject json) {
    return StoredEvent.fromJson(json);
  }
}
