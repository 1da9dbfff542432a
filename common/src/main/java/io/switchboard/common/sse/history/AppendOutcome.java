package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * AppendOutcome is what an {@link AppendEvent} did: stored the event, found it stored already under
 * the same idempotency key (a replay), found the key used for another event (a conflict), found
 * no topic it was allowed to create (absent), or came after its deadline and did nothing (expired).
 *
 * <p>It carries no event data back: the caller has it, and a replay's key stored the same.
 */
public final class AppendOutcome implements DataSerializable {

  /** What happened to the event. */
  public enum Status { STORED, REPLAYED, CONFLICT, ABSENT, EXPIRED }

  private Status status;
  private String epoch;
  private long sequence;
  private boolean retained;

  public AppendOutcome() {
  }

  AppendOutcome(Status status, String epoch, long sequence, boolean retained) {
    this.status = status;
    this.epoch = epoch;
    this.sequence = sequence;
    this.retained = retained;
  }

  static AppendOutcome absent() {
    return new AppendOutcome(Status.ABSENT, null, -1, false);
  }

  static AppendOutcome expired() {
    return new AppendOutcome(Status.EXPIRED, null, -1, false);
  }

  public Status status() {
    return status;
  }

  /** The topic's epoch; null when absent or expired. */
  public String epoch() {
    return epoch;
  }

  /** The sequence the event was stored at; -1 for a conflict, an absent topic or an expired append. */
  public long sequence() {
    return sequence;
  }

  /** Whether the event is in history after the append: false unless stored or replayed and kept. */
  public boolean retained() {
    return retained;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(status.ordinal());
    out.writeString(epoch);
    out.writeLong(sequence);
    out.writeBoolean(retained);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    status = Status.values()[in.readByte()];
    epoch = in.readString();
    sequence = in.readLong();
    retained = in.readBoolean();
  }
}
