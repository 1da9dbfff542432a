package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TopicJournal is one topic's history as the cluster keeps it: its epoch, its retained events, the
 * idempotency keys of recent appends with the event each one stored, and when the topic was last
 * active.
 *
 * <p>Events and keys live in one map entry so that storing an event and remembering its key are one
 * atomic step on the partition that owns the topic, replayed as such on the backup. An append that
 * Hazelcast retries after its member died, or that a client retries after losing the reply, then
 * finds its key and stores nothing twice.
 *
 * <p>What a topic holds is bounded three ways: by count ({@link HistoryLimits#capacity()}), by age,
 * and by bytes ({@link HistoryLimits#maxBytes()}). Past the byte budget the oldest events go first;
 * the keys take at most half of it, the oldest forgotten first, so the newest event always stays.
 *
 * <p>Every change is a function of the log and the processor that makes it, clock included, so
 * the primary and the backup stay equal.
 *
 * <p>After a split-brain merge whose copies diverged, the journal {@link JournalMerge} builds has a
 * new epoch and remembers the epochs it replaced (the last {@link #MAX_REPLACED_EPOCHS}), so that
 * an id of one of them reads as {@code merged} rather than unknown. It also remembers the limits of
 * its last append, which the merge applies to the joined history. Both follow the keys in the
 * serialized form, in a {@link JournalTrailer}, so that the form of the version before still reads.
 */
public final class TopicJournal implements DataSerializable {

  private String epoch;
  private long nextSequence;
  /** The last append or touch, in milliseconds since the epoch. */
  private long lastActive;
  private final ArrayDeque<LogEntry> events = new ArrayDeque<>();
  private long eventBytes;
  private final RecentKeys keys = new RecentKeys();
  /** The epochs this journal's history replaced in merges, the newest first. */
  private final List<String> replacedEpochs = new ArrayList<>();
  /** The limits of the last append; null before one, or when read from an older form. */
  private HistoryLimits limits;

  /** Epochs a merged journal remembers having replaced. */
  public static final int MAX_REPLACED_EPOCHS = 8;

  public TopicJournal() {
  }

  TopicJournal(String epoch) {
    this.epoch = epoch;
  }

  /**
   * A journal of {@code epoch} holding {@code events}, consecutive from any sequence, and
   * {@code keys}, oldest first, bounded by {@code limits} when known.
   */
  static TopicJournal of(String epoch, long nextSequence, long lastActive, List<LogEntry> events,
      List<Map.Entry<String, RecentKeys.KeyRecord>> keys, List<String> replaced,
      HistoryLimits limits) {
    TopicJournal journal = new TopicJournal(epoch);
    journal.nextSequence = nextSequence;
    journal.lastActive = lastActive;
    journal.limits = limits;
    for (LogEntry entry : events) {
      journal.events.addLast(entry);
      journal.eventBytes += entry.bytes();
    }
    keys.forEach(key -> journal.keys.remember(key.getKey(), key.getValue()));
    replaced.stream().distinct().limit(MAX_REPLACED_EPOCHS).forEach(journal.replacedEpochs::add);
    if (limits != null) {
      journal.keys.trim(limits.maxKeys(), limits.maxKeyBytes());
      journal.evictOldest(limits);
    }
    return journal;
  }

  /** Whether {@code epoch} is one this journal's history replaced in a merge. */
  public boolean replaced(String epoch) {
    return replacedEpochs.contains(epoch);
  }

  /** The epochs this journal replaced in merges, the newest first. */
  List<String> replacedEpochs() {
    return List.copyOf(replacedEpochs);
  }

  /** The limits of the last append, null when unknown. */
  HistoryLimits limits() {
    return limits;
  }

  /** The retained events, oldest first. */
  List<LogEntry> entries() {
    return new ArrayList<>(events);
  }

  /** The idempotency keys remembered, oldest first. */
  List<Map.Entry<String, RecentKeys.KeyRecord>> keyEntries() {
    return keys.entries();
  }

  public String epoch() {
    return epoch;
  }

  /** The sequence the next event gets: how many events the epoch has had. */
  long nextSequence() {
    return nextSequence;
  }

  /** The last append or touch, in milliseconds since the epoch. */
  long lastActive() {
    return lastActive;
  }

  /** Retained events, for tests and diagnostics. */
  public int size() {
    return events.size();
  }

  /** Idempotency keys remembered. */
  public int keyCount() {
    return keys.size();
  }

  /** What the events and keys take, as counted against the byte budget. */
  public long bytes() {
    return eventBytes + keys.bytes();
  }

  AppendOutcome append(AppendEvent event) {
    HistoryLimits limits = event.limits();
    this.limits = limits;
    long now = event.now();
    prune(now, limits);
    touch(now);
    RecentKeys.KeyRecord known = keys.find(event.key());
    if (known != null) {
      // Another text may still be the same JSON: compared with the stored event while it is retained.
      if (!known.sameContent(event.hashHigh(), event.hashLow())
          && !CanonicalJson.sameEvent(events, known.sequence(), event.type(), event.data())) {
        return new AppendOutcome(AppendOutcome.Status.CONFLICT, epoch, -1, false);
      }
      return new AppendOutcome(AppendOutcome.Status.REPLAYED, epoch, known.sequence(),
          retains(known.sequence()));
    }
    LogEntry entry = new LogEntry(nextSequence++, event.type(), event.data(), now);
    events.addLast(entry);
    eventBytes += entry.bytes();
    keys.remember(event.key(), new RecentKeys.KeyRecord(entry.sequence(), event.hashHigh(),
        event.hashLow(), now));
    keys.trim(limits.maxKeys(), limits.maxKeyBytes());
    evictOldest(limits);
    return new AppendOutcome(AppendOutcome.Status.STORED, epoch, entry.sequence(), true);
  }

  /** Drops the oldest events past the count or the byte budget; the newest always stays. */
  private void evictOldest(HistoryLimits limits) {
    while (events.size() > 1
        && (events.size() > limits.capacity() || bytes() > limits.maxBytes())) {
      eventBytes -= events.removeFirst().bytes();
    }
  }

  /** Records activity at {@code now}: an append, or a subscriber somewhere. */
  void touch(long now) {
    lastActive = Math.max(lastActive, now);
  }

  /** Whether the topic has been inactive for at least {@code ttlMillis} at {@code now}. */
  boolean idle(long now, long ttlMillis) {
    return now - lastActive >= ttlMillis;
  }

  /**
   * Up to {@code limit} events from {@code from}, or from the oldest retained one when
   * {@code from} is not within the retained range; events older than {@code ttlMillis} (0 for no
   * expiry) count as gone.
   */
  LogSlice read(long from, int limit, long now, long ttlMillis) {
    long tail = nextSequence - 1;
    long head = nextSequence;
    for (LogEntry entry : events) {
      if (!expired(entry, now, ttlMillis)) {
        head = entry.sequence();
        break;
      }
    }
    long start = from >= head && from <= tail + 1 ? from : head;
    List<LogEntry> out = new ArrayList<>((int) Math.max(0, Math.min(limit, tail - start + 1)));
    for (LogEntry entry : events) {
      if (out.size() >= limit) {
        break;
      }
      if (entry.sequence() >= start) {
        out.add(entry);
      }
    }
    return new LogSlice(epoch, head, tail, out);
  }

  private void prune(long now, HistoryLimits limits) {
    while (!events.isEmpty() && expired(events.peekFirst(), now, limits.ttlMillis())) {
      eventBytes -= events.removeFirst().bytes();
    }
    keys.forgetBefore(now - limits.keyWindowMillis());
  }

  private static boolean expired(LogEntry entry, long now, long ttlMillis) {
    return ttlMillis > 0 && now - entry.storedAt() >= ttlMillis;
  }

  private boolean retains(long sequence) {
    LogEntry first = events.peekFirst();
    return first != null && sequence >= first.sequence() && sequence < nextSequence;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(nextSequence);
    out.writeLong(lastActive);
    out.writeInt(events.size());
    for (LogEntry entry : events) {
      writeEntry(out, entry);
    }
    keys.writeData(out);
    new JournalTrailer(replacedEpochs, limits).writeData(out);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    nextSequence = in.readLong();
    lastActive = in.readLong();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      LogEntry entry = readEntry(in);
      events.addLast(entry);
      eventBytes += entry.bytes();
    }
    keys.readData(in);
    JournalTrailer trailer = JournalTrailer.read(in);
    if (trailer != null) {
      replacedEpochs.addAll(trailer.replaced());
      limits = trailer.limits();
    }
  }

  static void writeEntry(ObjectDataOutput out, LogEntry entry) throws IOException {
    out.writeLong(entry.sequence());
    out.writeString(entry.type());
    out.writeByteArray(entry.data());
    out.writeLong(entry.storedAt());
  }

  static LogEntry readEntry(ObjectDataInput in) throws IOException {
    return new LogEntry(in.readLong(), in.readString(), in.readByteArray(), in.readLong());
  }
}
