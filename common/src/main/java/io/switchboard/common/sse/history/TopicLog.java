package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TopicLog is one topic's history as the cluster keeps it: its epoch, its retained events, and the
 * idempotency keys of recent appends with the event each one stored.
 *
 * <p>Events and keys live in one map entry so that storing an event and remembering its key are one
 * atomic step on the partition that owns the topic, replayed as such on the backup. An append that
 * Hazelcast retries after its member died, or that a client retries after losing the reply, then
 * finds its key and stores nothing twice.
 *
 * <p>Every change is a function of the log and the {@link AppendEvent}, clock included, so the
 * primary and the backup stay equal.
 */
public final class TopicLog implements DataSerializable {

  private String epoch;
  private long nextSequence;
  private final ArrayDeque<LogEntry> events = new ArrayDeque<>();
  private final LinkedHashMap<String, KeyRecord> keys = new LinkedHashMap<>();

  /** What a key stored: the event's sequence, a hash of its content, and when. */
  private record KeyRecord(long sequence, long hashHigh, long hashLow, long at) {
  }

  public TopicLog() {
  }

  TopicLog(String epoch) {
    this.epoch = epoch;
  }

  public String epoch() {
    return epoch;
  }

  /** Retained events, for tests and diagnostics. */
  public int size() {
    return events.size();
  }

  /** Idempotency keys remembered. */
  public int keyCount() {
    return keys.size();
  }

  AppendOutcome append(AppendEvent event) {
    prune(event.now(), event.ttlMillis(), event.windowMillis());
    KeyRecord known = keys.get(event.key());
    if (known != null) {
      if (known.hashHigh() != event.hashHigh() || known.hashLow() != event.hashLow()) {
        return new AppendOutcome(AppendOutcome.Status.CONFLICT, epoch, -1, null);
      }
      return new AppendOutcome(AppendOutcome.Status.REPLAYED, epoch, known.sequence(),
          find(known.sequence()));
    }
    LogEntry entry = new LogEntry(nextSequence++, event.type(), event.data(), event.now());
    events.addLast(entry);
    while (events.size() > event.capacity()) {
      events.removeFirst();
    }
    keys.put(event.key(), new KeyRecord(entry.sequence(), event.hashHigh(), event.hashLow(),
        event.now()));
    Iterator<KeyRecord> oldest = keys.values().iterator();
    while (keys.size() > event.maxKeys() && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    return new AppendOutcome(AppendOutcome.Status.STORED, epoch, entry.sequence(), entry);
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

  private void prune(long now, long ttlMillis, long windowMillis) {
    while (!events.isEmpty() && expired(events.peekFirst(), now, ttlMillis)) {
      events.removeFirst();
    }
    Iterator<Map.Entry<String, KeyRecord>> oldest = keys.entrySet().iterator();
    while (oldest.hasNext()) {
      if (now - oldest.next().getValue().at() <= windowMillis) {
        break;
      }
      oldest.remove();
    }
  }

  private static boolean expired(LogEntry entry, long now, long ttlMillis) {
    return ttlMillis > 0 && now - entry.storedAt() >= ttlMillis;
  }

  private LogEntry find(long sequence) {
    LogEntry first = events.peekFirst();
    if (first == null || sequence < first.sequence() || sequence >= nextSequence) {
      return null;
    }
    // Sequences are consecutive: the event sits at its distance from the first one.
    long skip = sequence - first.sequence();
    Iterator<LogEntry> it = events.iterator();
    for (long i = 0; i < skip; i++) {
      it.next();
    }
    return it.next();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(nextSequence);
    out.writeInt(events.size());
    for (LogEntry entry : events) {
      writeEntry(out, entry);
    }
    out.writeInt(keys.size());
    for (Map.Entry<String, KeyRecord> key : keys.entrySet()) {
      out.writeString(key.getKey());
      out.writeLong(key.getValue().sequence());
      out.writeLong(key.getValue().hashHigh());
      out.writeLong(key.getValue().hashLow());
      out.writeLong(key.getValue().at());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    nextSequence = in.readLong();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      events.addLast(readEntry(in));
    }
    int keyCount = in.readInt();
    for (int i = 0; i < keyCount; i++) {
      keys.put(in.readString(), new KeyRecord(in.readLong(), in.readLong(), in.readLong(),
          in.readLong()));
    }
  }

  static void writeEntry(ObjectDataOutput out, LogEntry entry) throws IOException {
    out.writeLong(entry.sequence());
    out.writeString(entry.type());
    out.writeString(entry.data());
    out.writeLong(entry.storedAt());
  }

  static LogEntry readEntry(ObjectDataInput in) throws IOException {
    return new LogEntry(in.readLong(), in.readString(), in.readString(), in.readLong());
  }
}
