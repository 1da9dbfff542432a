package io.switchboard.gateway.topicsocket;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * EphemeralEvent is an event published with {@code "store": false}, as the gateways pass it to each
 * other on {@link io.switchboard.common.Addresses#TOPIC_EPHEMERAL},
 * {@code {"topic":"t","event":"<type or null>","data":"<data as JSON text>"}}, and as subscribers
 * get it: {@code {"type":"event","topic":"t","ephemeral":true,"event":"<type>","data":<json>}},
 * without an id, since it is in no history.
 */
final class EphemeralEvent {

  private EphemeralEvent() {
  }

  static JsonObject toJson(String topic, String event, String data) {
    return new JsonObject().put("topic", topic).put("event", event).put("data", data);
  }

  /** The topic of a bus message; null when it has none. */
  static String topicOf(JsonObject body) {
    return body.getValue("topic") instanceof String topic ? topic : null;
  }

  /** The frame subscribers get. */
  static String frame(JsonObject body) {
    StringBuilder frame = new StringBuilder("{\"type\":\"event\",\"topic\":")
        .append(Json.encode(topicOf(body))).append(",\"ephemeral\":true");
    if (body.getValue("event") instanceof String event) {
      frame.append(",\"event\":").append(Json.encode(event));
    }
    String data = body.getValue("data") instanceof String text ? text : "null";
    return frame.append(",\"data\":").append(data).append('}').toString();
  }
}
