package io.switchboard.common.sse.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * JournalMerge joins the two copies of a topic's history that the two sides of a split kept.
 *
 * <p>When one copy is a prefix of the other (only one side stored events: the other refused
 * writes, or had no publisher), the longer one is kept as it is, epoch included, and no client
 * notices. That is proved, not guessed from lengths: the shorter copy's newest event is at the same
 * sequence of the longer one, with the same time and content ({@link JournalPrefix}).
 *
 * <p>When one copy is of another epoch begun after the other's newest event, that side lost the
 * topic and began it anew, and the replacement is kept as it is ({@link JournalReplacement}).
 *
 * <p>Otherwise both sides acknowledged events the other does not hold, under the same ids. The
 * joined history holds the events both share once, then the rest of both sides ordered by when
 * they were stored, each side's order kept; an event a client stored on both sides under one
 * idempotency key is kept once. It is renumbered in a new epoch, and the replaced epochs are
 * remembered, so a client resuming with an id of either side is told its history was
 * {@code merged} and gets everything retained. The keys of both sides point at the new sequences,
 * so a publish retried after the merge replays. The limits of the last append bound the result.
 *
 * <p>The result is a function of the two copies alone, the new epoch too, so running the merge
 * again gives the same journal.
 */
final class JournalMerge {

  /** Which copy an event came from, and its sequence there. */
  private record Source(boolean existing, long sequence) {
  }

  private record Identity(long storedAt, String type, ByteBuffer data) {
    static Identity of(LogEntry entry) {
      return new Identity(entry.storedAt(), entry.type(), ByteBuffer.wrap(entry.data()));
    }
  }

  private JournalMerge() {
  }

  /** The journal to keep of {@code existing} and {@code merging}, neither null. */
  static TopicJournal merge(TopicJournal existing, TopicJournal merging) {
    TopicJournal replacement = JournalReplacement.replacing(existing, merging);
    if (replacement != null) {
      return JournalReplacement.keep(replacement, replacement == existing ? merging : existing);
    }
    if (existing.epoch().equals(merging.epoch())) {
      TopicJournal longer = merging.nextSequence() > existing.nextSequence() ? merging : existing;
      TopicJournal shorter = longer == merging ? existing : merging;
      if (JournalPrefix.isPrefix(shorter, longer)) {
        longer.touch(shorter.lastActive());
        return longer;
      }
    }
    return diverged(existing, merging);
  }

  private static TopicJournal diverged(TopicJournal existing, TopicJournal merging) {
    List<LogEntry> a = existing.entries();
    List<LogEntry> b = merging.entries();
    List<LogEntry> out = new ArrayList<>(a.size() + b.size());
    Map<Source, Long> renumbered = new HashMap<>();
    int i = 0;
    int j = 0;
    if (existing.epoch().equals(merging.epoch())) {
      // Shared up to the first sequence where both hold different events.
      long overlapEnd = Math.min(existing.nextSequence(), merging.nextSequence());
      long split = Math.max(head(a, existing), head(b, merging));
      while (split < overlapEnd && same(at(a, split), at(b, split))) {
        split++;
      }
      for (long seq = Math.min(head(a, existing), head(b, merging)); seq < split; seq++) {
        LogEntry shared = at(a, seq) != null ? at(a, seq) : at(b, seq);
        if (shared != null) {
          renumbered.put(new Source(true, seq), (long) out.size());
          renumbered.put(new Source(false, seq), (long) out.size());
          out.add(shared);
        }
      }
      i = indexFrom(a, split);
      j = indexFrom(b, split);
    }
    Map<Long, Long> twins = twins(existing, a.subList(i, a.size()), merging, b.subList(j, b.size()));
    ArrayDeque<LogEntry> restA = new ArrayDeque<>(a.subList(i, a.size()));
    ArrayDeque<LogEntry> restB = new ArrayDeque<>(b.subList(j, b.size()));
    while (!restA.isEmpty() || !restB.isEmpty()) {
      boolean fromA = restB.isEmpty()
          || !restA.isEmpty() && restA.peekFirst().storedAt() <= restB.peekFirst().storedAt();
      LogEntry next = fromA ? restA.pollFirst() : restB.pollFirst();
      if (!fromA && twins.containsKey(next.sequence())) {
        continue;
      }
      renumbered.put(new Source(fromA, next.sequence()), (long) out.size());
      out.add(next);
    }
    twins.forEach((seqB, seqA) -> renumbered.put(new Source(false, seqB),
        renumbered.get(new Source(true, seqA))));
    return joined(existing, merging, out, renumbered);
  }

  /**
   * Events of the merging copy that are events of the existing one, by sequence there: the same
   * event reached both copies before (a copy from an earlier merge), or a client stored it on both
   * sides under one idempotency key.
   */
  private static Map<Long, Long> twins(TopicJournal existing, List<LogEntry> a, TopicJournal merging,
      List<LogEntry> b) {
    Map<Identity, ArrayDeque<Long>> byIdentity = new HashMap<>();
    Map<Long, LogEntry> bySequence = new HashMap<>();
    for (LogEntry entry : a) {
      byIdentity.computeIfAbsent(Identity.of(entry), k -> new ArrayDeque<>()).add(entry.sequence());
      bySequence.put(entry.sequence(), entry);
    }
    Map<Long, Long> twins = new LinkedHashMap<>();
    Set<Long> paired = new HashSet<>();
    for (LogEntry entry : b) {
      ArrayDeque<Long> same = byIdentity.get(Identity.of(entry));
      if (same != null && !same.isEmpty()) {
        long seqA = same.pollFirst();
        twins.put(entry.sequence(), seqA);
        paired.add(seqA);
      }
    }
    Map<String, RecentKeys.KeyRecord> keysA = new HashMap<>();
    existing.keyEntries().forEach(key -> keysA.put(key.getKey(), key.getValue()));
    long firstB = b.isEmpty() ? Long.MAX_VALUE : b.get(0).sequence();
    for (Map.Entry<String, RecentKeys.KeyRecord> key : merging.keyEntries()) {
      RecentKeys.KeyRecord inA = keysA.get(key.getKey());
      long seqB = key.getValue().sequence();
      if (inA != null && inA.sameContent(key.getValue().hashHigh(), key.getValue().hashLow())
          && seqB >= firstB && bySequence.containsKey(inA.sequence()) && !twins.containsKey(seqB)
          && paired.add(inA.sequence())) {
        twins.put(seqB, inA.sequence());
      }
    }
    return twins;
  }

  private static TopicJournal joined(TopicJournal existing, TopicJournal merging, List<LogEntry> events,
      Map<Source, Long> renumbered) {
    String epoch = newEpoch(existing, merging);
    List<LogEntry> numbered = new ArrayList<>(events.size());
    for (LogEntry entry : events) {
      numbered.add(new LogEntry(numbered.size(), entry.type(), entry.data(), entry.storedAt()));
    }
    Map<String, RecentKeys.KeyRecord> keys = new LinkedHashMap<>();
    addKeys(keys, existing, true, renumbered);
    addKeys(keys, merging, false, renumbered);
    List<Map.Entry<String, RecentKeys.KeyRecord>> ordered = new ArrayList<>(keys.entrySet());
    ordered.sort(Comparator.comparingLong(key -> key.getValue().at()));
    List<String> replaced = new ArrayList<>();
    replaced.add(existing.epoch());
    replaced.add(merging.epoch());
    replaced.addAll(existing.replacedEpochs());
    replaced.addAll(merging.replacedEpochs());
    HistoryLimits limits = existing.limits() != null ? existing.limits() : merging.limits();
    return TopicJournal.of(epoch, numbered.size(), Math.max(existing.lastActive(),
        merging.lastActive()), numbered, ordered, replaced, limits);
  }

  /**
   * A side's keys, pointing at the new sequences; a key of an event no longer retained points
   * before the new epoch's first event. Where both sides used a key, the existing side's stays.
   */
  private static void addKeys(Map<String, RecentKeys.KeyRecord> keys, TopicJournal journal,
      boolean existing, Map<Source, Long> renumbered) {
    for (Map.Entry<String, RecentKeys.KeyRecord> key : journal.keyEntries()) {
      RecentKeys.KeyRecord old = key.getValue();
      Long sequence = renumbered.get(new Source(existing, old.sequence()));
      keys.putIfAbsent(key.getKey(), new RecentKeys.KeyRecord(sequence == null ? -1 : sequence,
          old.hashHigh(), old.hashLow(), old.at()));
    }
  }

  /** The same epoch whenever the same two copies merge; letters and digits, like every epoch. */
  private static String newEpoch(TopicJournal existing, TopicJournal merging) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (TopicJournal journal : List.of(existing, merging)) {
        sha.update((journal.epoch() + "/" + journal.nextSequence() + "/" + journal.lastActive() + "/")
            .getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static long head(List<LogEntry> entries, TopicJournal journal) {
    return entries.isEmpty() ? journal.nextSequence() : entries.get(0).sequence();
  }

  private static int indexFrom(List<LogEntry> entries, long sequence) {
    if (entries.isEmpty()) {
      return 0;
    }
    return (int) Math.max(0, Math.min(entries.size(), sequence - entries.get(0).sequence()));
  }

  /** The event at {@code sequence}, null when not retained; events are consecutive. */
  static LogEntry at(List<LogEntry> entries, long sequence) {
    if (entries.isEmpty()) {
      return null;
    }
    long index = sequence - entries.get(0).sequence();
    return index < 0 || index >= entries.size() ? null : entries.get((int) index);
  }

  /** Whether two events are one: at the same sequence, stored at the same time, with one content. */
  static boolean same(LogEntry a, LogEntry b) {
    return a != null && b != null && a.sequence() == b.sequence() && a.storedAt() == b.storedAt()
        && Objects.equals(a.type(), b.type()) && Arrays.equals(a.data(), b.data());
  }
}
