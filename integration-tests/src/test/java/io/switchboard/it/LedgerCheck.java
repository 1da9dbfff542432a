package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LedgerCheck compares a ledger of acknowledged publishes, idempotency key to id, with what a
 * subscriber received and with what a topic's history holds: each acknowledged event exactly once,
 * under the id it was acknowledged with, in order, and no event twice.
 */
final class LedgerCheck {

  private LedgerCheck() {
  }

  /** Each acknowledged event delivered once with its id, ids increasing, no event twice. */
  static void delivered(Map<String, String> acked, List<SseClient.Event> events, String who) {
    Map<String, String> delivered = new LinkedHashMap<>();
    long previous = -1;
    for (SseClient.Event event : events) {
      assertTrue(event.position() > previous, who + ": ids must increase, " + event.id()
          + " came after position " + previous);
      previous = event.position();
      JsonObject data = event.json();
      if (data.containsKey("key")) {
        String before = delivered.put(data.getString("key"), event.id());
        assertTrue(before == null, who + ": event " + data.getString("key") + " delivered twice, as "
            + before + " and " + event.id());
      }
    }
    List<String> missing = new ArrayList<>();
    acked.forEach((key, id) -> {
      if (!id.equals(delivered.get(key))) {
        missing.add(key + " (acknowledged as " + id + ", delivered as " + delivered.get(key) + ")");
      }
    });
    assertEquals(List.of(), missing, who + ": acknowledged events not delivered as acknowledged");
  }

  /** The topic's whole retained history holds every acknowledged event once, and no event twice. */
  static void stored(Map<String, String> acked, int port, String topic) {
    Map<String, String> stored = new HashMap<>();
    String after = null;
    for (;;) {
      HttpResponse<String> page = Http.get(port, "/api/topics/" + topic + "/events"
          + (after == null ? "" : "?after=" + after));
      assertEquals(200, page.statusCode(), page.body());
      JsonArray events = Http.json(page).getJsonArray("events");
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.getJsonObject(i);
        if (event.getValue("data") instanceof JsonObject json && json.containsKey("key")) {
          String before = stored.put(json.getString("key"), event.getString("id"));
          assertTrue(before == null, "event " + json.getString("key") + " stored twice, as " + before
              + " and " + event.getString("id"));
        }
        after = event.getString("id");
      }
      if (!Http.json(page).getBoolean("more", false)) {
        break;
      }
    }
    acked.forEach((key, id) -> assertEquals(id, stored.get(key), "stored id of " + key));
  }
}
