package io.switchboard.common.sse.history;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** JournalPrefix tells whether one copy of a topic's history is a prefix of another. */
final class JournalPrefix {

  private JournalPrefix() {
  }

  /**
   * Whether {@code shorter} is a prefix of {@code longer}: its newest event is the event at the
   * same sequence of the longer copy, by time and content; or, when the longer copy no longer
   * holds it, by the idempotency key that stored it (every append has one), at the same sequence
   * with the same content hash.
   *
   * <p>Newest events that the longer copy stored again, under the same key at the same sequence
   * with the same content, count as the same: an append that ran on the owner just before a split
   * and whose backup was lost, then retried by its client on the other side. No client can tell
   * the two apart, so they need no new epoch. The walk goes back from the newest event until the
   * copies hold one identical event; a position the shorter copy no longer holds must be proved by
   * its key too, and a position neither proves joins the copies.
   */
  static boolean isPrefix(TopicJournal shorter, TopicJournal longer) {
    long newest = shorter.nextSequence() - 1;
    if (newest < 0) {
      return true;
    }
    Map<String, RecentKeys.KeyRecord> longerKeys = new HashMap<>();
    longer.keyEntries().forEach(key -> longerKeys.put(key.getKey(), key.getValue()));
    Map<Long, Map.Entry<String, RecentKeys.KeyRecord>> shorterKeys = new HashMap<>();
    shorter.keyEntries().forEach(key -> shorterKeys.put(key.getValue().sequence(), key));
    List<LogEntry> shorterEvents = shorter.entries();
    List<LogEntry> longerEvents = longer.entries();
    for (long sequence = newest; sequence >= 0; sequence--) {
      LogEntry mine = JournalMerge.at(shorterEvents, sequence);
      LogEntry theirs = JournalMerge.at(longerEvents, sequence);
      if (mine != null && theirs != null) {
        if (JournalMerge.same(mine, theirs)) {
          return true;
        }
        if (!sameContent(mine, theirs)) {
          return false;
        }
      }
      if (!storedUnderOneKey(shorterKeys.get(sequence), longerKeys)) {
        return false;
      }
      if (theirs == null || mine == null && sequence == newest) {
        // The longer copy holds nothing older, or the shorter one nothing at all: the key that
        // stored the newest event at the same place is the proof there is.
        return true;
      }
    }
    return true;
  }

  private static boolean sameContent(LogEntry a, LogEntry b) {
    return Objects.equals(a.type(), b.type()) && Arrays.equals(a.data(), b.data());
  }

  /** Whether the longer copy's key of {@code key} stored the same content at the same sequence. */
  private static boolean storedUnderOneKey(Map.Entry<String, RecentKeys.KeyRecord> key,
      Map<String, RecentKeys.KeyRecord> longerKeys) {
    if (key == null) {
      return false;
    }
    RecentKeys.KeyRecord record = key.getValue();
    RecentKeys.KeyRecord other = longerKeys.get(key.getKey());
    return other != null && other.sequence() == record.sequence()
        && other.sameContent(record.hashHigh(), record.hashLow());
  }
}
