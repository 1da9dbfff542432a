package io.switchboard.it.chaos;

import io.switchboard.it.SseClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SseLedger compares what a publisher had acknowledged with what one subscriber received: every
 * acknowledged event exactly once, under its acknowledged id, in the order acknowledged; or, where
 * some are missing, a {@code history-lost} event received between the events on either side of
 * the gap. No event twice, ever.
 */
final class SseLedger {

  static final String HISTORY_LOST = "history-lost";

  /** The figures of one subscriber against one publisher's ledger. */
  record Verdict(String who, int acknowledged, int delivered, int duplicates, int outOfOrder,
      int wrongId, int missingAfterHistoryLost, int missingUnexplained, int historyLost,
      int unacknowledged, List<String> examples) {

    boolean holds() {
      return duplicates == 0 && outOfOrder == 0 && wrongId == 0 && missingUnexplained == 0;
    }
  }

  private SseLedger() {
  }

  /** {@code acked} is idempotency key to acknowledged id, in the order acknowledged. */
  static Verdict check(Map<String, String> acked, List<SseClient.Event> received, String who) {
    List<String> keys = new ArrayList<>(acked.keySet());
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      order.put(keys.get(i), i);
    }
    int[] at = new int[keys.size()];
    java.util.Arrays.fill(at, -1);
    List<Integer> lostAt = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    int duplicates = 0;
    int outOfOrder = 0;
    int wrongId = 0;
    int unacknowledged = 0;
    int highest = -1;
    for (int r = 0; r < received.size(); r++) {
      SseClient.Event event = received.get(r);
      if (HISTORY_LOST.equals(event.type())) {
        lostAt.add(r);
        examples.add("history-lost at " + event.id() + ": " + event.data());
        continue;
      }
      JsonObject data = event.json();
      if (!data.containsKey("key")) {
        continue;
      }
      Integer index = order.get(data.getString("key"));
      if (index == null) {
        // Stored, but its publish gave up before an acknowledgement: allowed, never twice.
        unacknowledged++;
        continue;
      }
      if (at[index] >= 0) {
        duplicates++;
        note(examples, "duplicate " + keys.get(index) + " as " + event.id());
        continue;
      }
      at[index] = r;
      if (index < highest) {
        outOfOrder++;
        note(examples, "out of order: " + keys.get(index) + " after number " + highest);
      }
      highest = Math.max(highest, index);
      if (!acked.get(keys.get(index)).equals(event.id())) {
        wrongId++;
        note(examples, keys.get(index) + " acknowledged as " + acked.get(keys.get(index))
            + ", delivered as " + event.id());
      }
    }
    // Where the next delivered acknowledged event came, for each position of the ledger.
    int[] next = new int[keys.size() + 1];
    next[keys.size()] = received.size();
    for (int i = keys.size() - 1; i >= 0; i--) {
      next[i] = at[i] >= 0 ? at[i] : next[i + 1];
    }
    int explained = 0;
    int unexplained = 0;
    int before = -1;
    for (int i = 0; i < keys.size(); i++) {
      if (at[i] >= 0) {
        before = at[i];
        continue;
      }
      int from = before;
      int to = next[i + 1];
      if (lostAt.stream().anyMatch(r -> r > from && r < to)) {
        explained++;
      } else {
        unexplained++;
        note(examples, "missing " + keys.get(i) + " (acknowledged as " + acked.get(keys.get(i)) + ")");
      }
    }
    return new Verdict(who, keys.size(), (int) java.util.Arrays.stream(at).filter(r -> r >= 0).count(),
        duplicates, outOfOrder, wrongId, explained, unexplained, lostAt.size(), unacknowledged, examples);
  }

  private static void note(List<String> examples, String example) {
    if (examples.size() < 10) {
      examples.add(example);
    }
  }
}
