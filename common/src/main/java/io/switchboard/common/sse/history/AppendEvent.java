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
 * AppendEvent stores one event in its topic's {@link TopicJournal}, at most once per idempotency key.
 * A topic without history gets a log with a fresh epoch when the append carries one; without, the
 * append stores nothing and reports the topic {@link AppendOutcome.Status#ABSENT}, so that the
 * caller can decide whether it may create the topic before it tries again.
 *
 * <p>It carries everything the change depends on, the clock and the limits included, and runs
 * again as itself on the backup.
 */
public final class AppendEvent implements EntryProcessor<String, TopicJournal, AppendOutcome>,
    DataSerializable {

  private String type;
  private byte[] data;
  private String key;
  private long hashHigh;
  private long hashLow;
  private long now;
  private HistoryLimits limits;
  private String newEpoch;

  public AppendEvent() {
  }

  /**
   * An append of {@code type} (null for none) and {@code data} under {@code key}.
   *
   * @param data the event's data in UTF-8; not changed afterwards
   * @param limits the history's size and expiry and how long and how many keys are kept
   * @param newEpoch the epoch the topic's log gets if this append creates it; null when it may
   *     not create it
   */
  public AppendEvent(String type, byte[] data, String key, long now, HistoryLimits limits,
      String newEpoch) {
    this.type = type;
    this.data = data;
    this.key = key;
    this.now = now;
    this.limits = limits;
    this.newEpoch = newEpoch;
    ByteBuffer hash = ByteBuffer.wrap(digest(type, data));
    this.hashHigh = hash.getLong();
    this.hashLow = hash.getLong();
  }

  /** The UTF-8 bytes of an event's data, as an append carries them. */
  public static byte[] encode(String data) {
    return data.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] digest(String type, byte[] data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((type == null ? "" : type).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(data);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  @Override
  public AppendOutcome process(Map.Entry<String, TopicJournal> entry) {
    TopicJournal log = entry.getValue();
    if (log == null) {
      if (newEpoch == null) {
        return AppendOutcome.absent();
      }
      log = new TopicJournal(newEpoch);
    }
    AppendOutcome outcome = log.append(this);
    // In place or not, the entry is set again, so the backup runs this append too.
    entry.setValue(log);
    return outcome;
  }

  String type() {
    return type;
  }

  byte[] data() {
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

  HistoryLimits limits() {
    return limits;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(type);
    out.writeByteArray(data);
    out.writeString(key);
    out.writeLong(hashHigh);
    out.writeLong(hashLow);
    out.writeLong(now);
    out.writeInt(limits.capacity());
    out.writeLong(limits.ttlMillis());
    out.writeLong(limits.keyWindowMillis());
    out.writeInt(limits.maxKeys());
    out.writeLong(limits.maxBytes());
    out.writeString(newEpoch);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    type = in.readString();
    data = in.readByteArray();
    key = in.readString();
    hashHigh = in.readLong();
    hashLow = in.readLong();
    now = in.readLong();
    limits = new HistoryLimits(in.readInt(), in.readLong(), in.readLong(), in.readInt(),
        in.readLong());
    newEpoch = in.readString();
  }
}
