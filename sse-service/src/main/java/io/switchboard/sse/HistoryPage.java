package io.switchboard.sse;

import io.switchboard.common.sse.EventId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * HistoryPage is the answer to a history read: retained events after an id, and whether events
 * between that id and the first one returned are lost.
 *
 * @param topic the topic read
 * @param tail the id of the topic's newest event when read, or {@link EventId#START}
 * @param lost true when the id given is older than what is retained, or unknown
 * @param lostReason {@code expired} or {@code unknown} when lost, else null
 * @param resumeFrom the id after which {@code events} continue: a client that saw up to here saw
 *     everything retained before {@code events}
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
}
