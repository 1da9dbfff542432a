package io.switchboard.common.sse;

import io.vertx.core.json.JsonObject;

/**
 * PublishedEvent is a stored event as sse-service publishes it to every gateway on
 * {@code Addresses.SSE_EVENTS}: the {@link StoredEvent}'s fields, its topic, and when it was
 * stored, from which gateways measure how long it took to reach their clients.
 *
 * @param topic the topic
 * @param event the event
 * @param storedAt when it was stored, in Hazelcast's cluster time (epoch milliseconds)
 */
public record PublishedEvent(String topic, StoredEvent event, long storedAt) {

  public JsonObject toJson() {
    return event.toJson().put("topic", topic).put("storedAt", storedAt);
  }

  /**
   * The notice that an operator deleted {@code topic}'s history of {@code epoch}, published on the
   * same address as events, so that it reaches each gateway in order with them. It has no id, so a
   * release that does not know it drops it as a malformed event.
   */
  public static JsonObject deletion(String topic, String epoch) {
    return new JsonObject().put("topic", topic).put("deleted", epoch);
  }

  /** The epoch a deletion notice deleted, or null when {@code json} is an event. */
  public static String deletedOf(JsonObject json) {
    return json.getValue("deleted") instanceof String epoch ? epoch : null;
  }

  /** When the event was stored, in cluster time; 0 when a release that did not say sent it. */
  public static long storedAtOf(JsonObject json) {
    return json.getValue("storedAt") instanceof Number at ? at.longValue() : 0;
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
