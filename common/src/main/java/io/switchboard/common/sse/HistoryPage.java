package io.switchboard.common.sse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * HistoryPage is sse-service's answer to a {@link HistoryRequest}: retained events after an id, and
 * whether events between that id and the first one returned are lost.
 *
 * @param topic the topic read
 * @param tail the id of the topic's newest event when read, or {@link EventId#START}; null when a
 *     reply carried none
 * @param lost true when the id given is older than what is retained, or unknown
 * @param lostReason {@link #EXPIRED}, {@link #UNKNOWN} or {@link #MERGED} when lost, else null
 * @param resumeFrom the id after which {@code events} continue: a client that saw up to here saw
 *     everything retained before {@code events}; null when a reply carried none
 * @param events the retained events, oldest first
 * @param more true when further events were retained than the limit allowed to return
 */
public record HistoryPage(
    String topic,
    EventId tail,
    boolean lost,
    String lostReason,
    EventId resumeFrom,
    List<StoredEvent> events,
    boolean more) {

  /** The most events one page holds, whatever limit a request asks for. */
  public static final int MAX_EVENTS = 1000;
  /** The events after the id left history: too old, or too many since. */
  public static final String EXPIRED = "expired";
  /** The id is of a history that no longer exists, or beyond the topic's newest event. */
  public static final String UNKNOWN = "unknown";
  /**
   * The id is of a history that a split of the cluster made diverge: when the sides merged again,
   * both sides' events were joined in a new epoch, under new ids.
   */
  public static final String MERGED = "merged";

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (StoredEvent event : events) {
      list.add(event.toJson());
    }
    JsonObject json = new JsonObject()
        .put("topic", topic)
        .put("tail", tail.toString())
        .put("lost", lost)
        .put("resumeFrom", resumeFrom.toString())
        .put("events", list)
        .put("more", more);
    if (lostReason != null) {
      json.put("lostReason", lostReason);
    }
    return json;
  }

  /** Reads a page; malformed events are left out, and an id that does not parse reads as null. */
  public static HistoryPage fromJson(JsonObject json) {
    List<StoredEvent> events = new ArrayList<>();
    if (json.getValue("events") instanceof JsonArray items) {
      for (Object item : items) {
        StoredEvent event = item instanceof JsonObject object ? StoredEvent.fromJson(object) : null;
        if (event != null) {
          events.add(event);
        }
      }
    }
    return new HistoryPage(json.getString("topic"), id(json, "tail"), json.getBoolean("lost", false),
        json.getString("lostReason"), id(json, "resumeFrom"), events, json.getBoolean("more", false));
  }

  private static EventId id(JsonObject json, String field) {
    return json.getValue(field) instanceof String text ? EventId.parse(text).orElse(null) : null;
  }
}
