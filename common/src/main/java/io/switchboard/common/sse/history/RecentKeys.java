package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RecentKeys are the idempotency keys of a topic's recent appends, oldest first, each with the
 * event it stored, and what they take in memory.
 *
 * <p>Part of a {@link TopicJournal}, changed only with it.
 */
final class RecentKeys {

  /**
   * What one key costs beside its characters, counted high: the map's entry and its slot in the
   * table, the string and its array, the record.
   */
  static final int OVERHEAD_BYTES = 160;

  private final LinkedHashMap<String, KeyRecord> keys = new LinkedHashMap<>();
  private long bytes;

  /** What a key stored: the event's sequence, a hash of its content, and when. */
  record KeyRecord(long sequence, long hashHigh, long hashLow, long at) {

    boolean sameContent(long high, long low) {
      return hashHigh == high && hashLow == low;
    }
  }

  /** What a key takes in memory, as counted against its topic's byte budget. */
  static long bytes(String key) {
    return OVERHEAD_BYTES + heapBytes(key);
  }

  /** A string's characters as the JVM keeps them: one byte each within Latin-1, else two. */
  private static long heapBytes(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        return 2L * text.length();
      }
    }
    return text.length();
  }

  KeyRecord find(String key) {
    return keys.get(key);
  }

  void remember(String key, KeyRecord record) {
    keys.put(key, record);
    bytes += bytes(key);
  }

  /** Forgets the keys older than the window. */
  void forgetBefore(long oldest) {
    Iterator<Map.Entry<String, KeyRecord>> it = keys.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, KeyRecord> next = it.next();
      if (next.getValue().at() >= oldest) {
        return;
      }
      forget(it, next.getKey());
    }
  }

  /** Forgets the oldest keys until at most {@code count} remain, taking at most {@code maxBytes}. */
  void trim(int count, long maxBytes) {
    Iterator<Map.Entry<String, KeyRecord>> it = keys.entrySet().iterator();
    while ((keys.size() > count || bytes > maxBytes) && it.hasNext()) {
      forget(it, it.next().getKey());
    }
  }

  private void forget(Iterator<Map.Entry<String, KeyRecord>> it, String key) {
    it.remove();
    bytes -= bytes(key);
  }

  int size() {
    return keys.size();
  }

  /** The keys and what they stored, oldest first. */
  java.util.List<Map.Entry<String, KeyRecord>> entries() {
    java.util.List<Map.Entry<String, KeyRecord>> out = new java.util.ArrayList<>(keys.size());
    keys.forEach((key, record) -> out.add(Map.entry(key, record)));
    return out;
  }

  long bytes() {
    return bytes;
  }

  void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(keys.size());
    for (Map.Entry<String, KeyRecord> key : keys.entrySet()) {
      out.writeString(key.getKey());
      out.writeLong(key.getValue().sequence());
      out.writeLong(key.getValue().hashHigh());
      out.writeLong(key.getValue().hashLow());
      out.writeLong(key.getValue().at());
    }
  }

  void readData(ObjectDataInput in) throws IOException {
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      remember(in.readString(), new KeyRecord(in.readLong(), in.readLong(), in.readLong(),
          in.readLong()));
    }
  }
}
