package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * AppendOutcome is what an {@link AppendEvent} did: stored the event, found it stored already under
 * the same idempotency key (a replay), or found the key used for another event (a conflict).
 */
public final class AppendOutcome implements DataSerializable {

  /** What happened to the event. */
  public enum Status { STORED, REPLAYED, CONFLICT }

  private Status status;
  private String epoch;
  private long sequence;
  /** The stored event, when still retained; null for a conflict or a replay of an evicted one. */
  private LogEntry entry;

  public AppendOutcome() {
  }

  AppendOutcome(Status status, String epoch, long sequence, LogEntry entry) {
    this.status = status;
    this.epoch = epoch;
    this.sequence = sequence;
    this.entry = entry;
  }

  public Status status() {
    return status;
  }

  /** The topic's epoch. */
  public String epoch() {
    return epoch;
  }

  /** The sequence the event was stored at; -1 for a conflict. */
  public long sequence() {
    return sequence;
  }

  public LogEntry entry() {
    return entry;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(status.ordinal());
    out.writeString(epoch);
    out.writeLong(sequence);
    out.writeBoolean(entry != null);
    if (entry != null) {
      TopicLog.writeEntry(out, entry);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    status = Status.values()[in.readByte()];
    epoch = in.readString();
    sequence = in.readLong();
    entry = in.readBoolean() ? TopicLog.readEntry(in) : null;
  }
}
