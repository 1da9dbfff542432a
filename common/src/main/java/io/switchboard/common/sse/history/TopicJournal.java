package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

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
 */
public final class TopicJournal implements DataSerializable {

  private String epoch;
  private long nextSequence;
  /** The last append or touch, in milliseconds since the epoch. */
  private long lastActive;
  private final ArrayDeque<LogEntry> events = new ArrayDeque<>();
  private long eventBytes;
  private final RecentKeys keys = new RecentKeys();

  public TopicJournal() {
  }

  TopicJournal(String epoch) {
    this.epoch = epoch;
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
    long now = event.now();
    prune(now, limits);
    touch(now);
    RecentKeys.KeyRecord known = keys.find(event.key());
    if (known != null) {
      if (!known.sameContent(event.hashHigh(), event.hashLow())) {
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
