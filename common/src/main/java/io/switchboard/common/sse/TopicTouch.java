package io.switchboard.common.sse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * TopicTouch is a gateway's report, on {@code Addresses.SSE_TOUCH}, of topics it has subscribers
 * for: sse-service keeps them from expiring. Both sides use this record; sse-service validates it.
 *
 * @param topics the topics, at most {@link #MAX_TOPICS}
 */
public record TopicTouch(List<String> topics) {

  /** Topics one report names at most; a gateway with more sends several. */
  public static final int MAX_TOPICS = 1000;

  public TopicTouch {
    topics = List.copyOf(topics);
  }

  public JsonObject toJson() {
    return new JsonObject().put("topics", new JsonArray(new ArrayList<>(topics)));
  }

  /** Reads a report; items that are not strings are left out, for the receiver to skip. */
  public static TopicTouch fromJson(JsonObject json) {
    List<String> topics = new ArrayList<>();
    if (json != null && json.getValue("topics") instanceof JsonArray items) {
      for (Object item : items) {
        if (item instanceof String topic) {
          topics.add(topic);
        }
      }
    }
    return new TopicTouch(topics);
  }
}
