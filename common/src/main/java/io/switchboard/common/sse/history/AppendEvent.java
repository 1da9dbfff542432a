package io.switchboard.common.sse.history;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.switchboard.common.cluster.TrailingFields;
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
 *
 * <p>An append may carry a deadline, in Hazelcast's cluster time, after which it stores nothing
 * and reports {@link AppendOutcome.Status#EXPIRED}: the gateway that asked has answered its client
 * 504 by then, and the client may have published the event again elsewhere. It is checked where
 * the append runs, on the partition's owner, because that is where a request waits out a freeze
 * of its member: run after the thaw, it would store in a history the cluster has moved on from.
 * The backup runs the owner's decision, not the clock: it gets no append when the owner refused,
 * and an append without the deadline when the owner stored.
 *
 * <p>Its layout is that of the release before the deadline, with the deadline after it behind
 * {@link #DEADLINE_MARKER} and only when there is one ({@link TrailingFields}): a member of that
 * release reads an append to its partition and ignores the deadline, and every backup has the old
 * layout, which both releases read.
 */
public final class AppendEvent implements EntryProcessor<String, TopicJournal, AppendOutcome>,
    DataSerializable, HazelcastInstanceAware {

  /** Marks the deadline after the fields of the release before it. Never reused. */
  static final long DEADLINE_MARKER = 0x5342_4170_7044_6c01L;

  private String type;
  private byte[] data;
  private String key;
  private long hashHigh;
  private long hashLow;
  private long now;
  private HistoryLimits limits;
  private String newEpoch;
  private long deadline;
  /** Where the append runs: its cluster clock. Not sent. */
  private transient HazelcastInstance hazelcast;
  /** The owner refused the append as past its deadline. Not sent. */
  private transient boolean expired;

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
    this(type, data, key, now, limits, newEpoch, 0);
  }

  /**
   * An append that stores nothing once Hazelcast's cluster time is past {@code deadline}; 0 for
   * none.
   */
  public AppendEvent(String type, byte[] data, String key, long now, HistoryLimits limits,
      String newEpoch, long deadline) {
    this.deadline = deadline;
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
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public AppendOutcome process(Map.Entry<String, TopicJournal> entry) {
    expired = deadline != 0 && clusterTime() > deadline;
    if (expired) {
      return AppendOutcome.expired();
    }
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

  /** What the backup runs: nothing after a refusal, else this append without its deadline. */
  @Override
  public EntryProcessor<String, TopicJournal, AppendOutcome> getBackupProcessor() {
    if (expired) {
      return null;
    }
    if (deadline == 0) {
      return this;
    }
    AppendEvent backup = new AppendEvent();
    backup.type = type;
    backup.data = data;
    backup.key = key;
    backup.hashHigh = hashHigh;
    backup.hashLow = hashLow;
    backup.now = now;
    backup.limits = limits;
    backup.newEpoch = newEpoch;
    return backup;
  }

  private long clusterTime() {
    return hazelcast == null ? System.currentTimeMillis() : hazelcast.getCluster().getClusterTime();
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

  long deadline() {
    return deadline;
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
    if (deadline != 0) {
      TrailingFields.mark(out, DEADLINE_MARKER);
      out.writeLong(deadline);
    }
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
    deadline = TrailingFields.marked(in, DEADLINE_MARKER) ? in.readLong() : 0;
  }
}
