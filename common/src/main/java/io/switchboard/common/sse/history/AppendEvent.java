package io.switchboard.common.sse.history;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * AppendEvent stores one event in its topic's {@link TopicLog}, at most once per idempotency key,
 * creating the log with a fresh epoch when the topic has none.
 *
 * <p>It carries everything the change depends on, the clock and the limits included, and runs
 * again as itself on the backup.
 */
public final class AppendEvent implements EntryProcessor<String, TopicLog, AppendOutcome>,
    DataSerializable {

  private String type;
  private String data;
  private String key;
  private long hashHigh;
  private long hashLow;
  private long now;
  private int capacity;
  private long ttlMillis;
  private long windowMillis;
  private int maxKeys;
  private String newEpoch;

  public AppendEvent() {
  }

  /**
   * An append of {@code type} (null for none) and {@code data} under {@code key}.
   *
   * @param limits the history's size and expiry and how long and how many keys are kept
   * @param newEpoch the epoch the topic's log gets if this append creates it
   */
  public AppendEvent(String type, String data, String key, long now, HistoryLimits limits,
      String newEpoch) {
    this.type = type;
    this.data = data;
    this.key = key;
    this.now = now;
    this.capacity = limits.capacity();
    this.ttlMillis = limits.ttlMillis();
    this.windowMillis = limits.keyWindowMillis();
    this.maxKeys = limits.maxKeys();
    this.newEpoch = newEpoch;
    byte[] digest = digest(type, data);
    ByteBuffer hash = ByteBuffer.wrap(digest);
    this.hashHigh = hash.getLong();
    this.hashLow = hash.getLong();
  }

  private static byte[] digest(String type, String data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((type == null ? "" : type).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(data.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  @Override
  public AppendOutcome process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    if (log == null) {
      log = new TopicLog(newEpoch);
    }
    AppendOutcome outcome = log.append(this);
    // In place or not, the entry is set again, so the backup runs this append too.
    entry.setValue(log);
    return outcome;
  }

  String type() {
    return type;
  }

  String data() {
    return data;
  }

  String key() {
    return key;
  }

  long hashHigh() {
    return hashHigh;
  }

  long hashLow() {
    return hashLow;
  }

  long now() {
    return now;
  }

  int capacity() {
    return capacity;
  }

  long ttlMillis() {
    return ttlMillis;
  }

  long windowMillis() {
    return windowMillis;
  }

  int maxKeys() {
    return maxKeys;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(type);
    out.writeString(data);
    out.writeString(key);
    out.writeLong(hashHigh);
    out.writeLong(hashLow);
    out.writeLong(now);
    out.writeInt(capacity);
    out.writeLong(ttlMillis);
    out.writeLong(windowMillis);
    out.writeInt(maxKeys);
    out.writeString(newEpoch);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    type = in.readString();
    data = in.readString();
    key = in.readString();
    hashHigh = in.readLong();
    hashLow = in.readLong();
    now = in.readLong();
    capacity = in.readInt();
    ttlMillis = in.readLong();
    windowMillis = in.readLong();
    maxKeys = in.readInt();
    newEpoch = in.readString();
  }
}
