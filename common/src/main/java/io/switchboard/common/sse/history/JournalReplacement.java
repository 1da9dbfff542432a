package io.switchboard.common.sse.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JournalReplacement tells whether one copy of a topic's history replaced the other, and keeps it.
 *
 * <p>A copy replaced the other when it is of another epoch, begun after the other copy's newest
 * event. That side lost the topic (its every copy went with the members that held them, or it was
 * deleted or expired) and began it anew, and its subscribers were told {@code history-lost}; the
 * other side stored nothing after the replacement began, so it holds no acknowledged event the
 * replacement's side had not already given up. The replacement is kept as it is, under its ids,
 * and its subscribers notice nothing; an id of the replaced epoch reads as {@code merged}. Joining
 * the two instead would renumber the history that every subscriber has moved on to, and deliver
 * it to each of them again.
 *
 * <p>A beginning is known only while the copy still holds its first event: a copy that no longer
 * does proves nothing, and the copies are joined.
 */
final class JournalReplacement {

  private JournalReplacement() {
  }

  /** The copy of another epoch than the other's begun after the other's newest event, or null. */
  static TopicJournal replacing(TopicJournal a, TopicJournal b) {
    if (a.epoch().equals(b.epoch())) {
      return null;
    }
    if (began(a) > newest(b)) {
      return a;
    }
    if (began(b) > newest(a)) {
      return b;
    }
    return null;
  }

  /**
   * {@code kept}, remembering that it replaced {@code replaced}'s epoch; the keys of the replaced
   * copy that {@code kept} lacks replay as events no longer retained, so no retry stores twice.
   */
  static TopicJournal keep(TopicJournal kept, TopicJournal replaced) {
    Map<String, RecentKeys.KeyRecord> keys = new LinkedHashMap<>();
    kept.keyEntries().forEach(key -> keys.put(key.getKey(), key.getValue()));
    for (Map.Entry<String, RecentKeys.KeyRecord> key : replaced.keyEntries()) {
      RecentKeys.KeyRecord old = key.getValue();
      keys.putIfAbsent(key.getKey(), new RecentKeys.KeyRecord(-1, old.hashHigh(), old.hashLow(),
          old.at()));
    }
    List<Map.Entry<String, RecentKeys.KeyRecord>> ordered = new ArrayList<>(keys.entrySet());
    ordered.sort(Comparator.comparingLong(key -> key.getValue().at()));
    List<String> epochs = new ArrayList<>();
    epochs.add(replaced.epoch());
    epochs.addAll(kept.replacedEpochs());
    epochs.addAll(replaced.replacedEpochs());
    HistoryLimits limits = kept.limits() != null ? kept.limits() : replaced.limits();
    return TopicJournal.of(kept.epoch(), kept.nextSequence(),
        Math.max(kept.lastActive(), replaced.lastActive()), kept.entries(), ordered, epochs, limits);
  }

  /** When the copy's epoch began: its first event's time while it holds that event, else never. */
  private static long began(TopicJournal journal) {
    List<LogEntry> events = journal.entries();
    return !events.isEmpty() && events.get(0).sequence() == 0 ? events.get(0).storedAt()
        : Long.MIN_VALUE;
  }

  /** When the copy stored its newest event it still holds; never, when it holds none. */
  private static long newest(TopicJournal journal) {
    List<LogEntry> events = journal.entries();
    return events.isEmpty() ? Long.MIN_VALUE : events.get(events.size() - 1).storedAt();
  }
}
