package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * LogSlice is what a {@link ReadEvents} found in one atomic look at a topic's log: its bounds and
 * the events from a sequence on.
 */
public final class LogSlice implements DataSerializable {

  private String epoch;
  private long head;
  private long tail;
  private List<LogEntry> entries;
  private boolean merged;

  public LogSlice() {
  }

  LogSlice(String epoch, long head, long tail, List<LogEntry> entries) {
    this.epoch = epoch;
    this.head = head;
    this.tail = tail;
    this.entries = entries;
  }

  /** The topic's epoch. */
  public String epoch() {
    return epoch;
  }

  /** The sequence of the oldest retained event; {@code tail + 1} when none is retained. */
  public long head() {
    return head;
  }

  /** The sequence of the newest event ever stored, -1 before the first. */
  public long tail() {
    return tail;
  }

  /** The events read, oldest first. */
  public List<LogEntry> entries() {
    return entries;
  }

  /**
   * Whether the epoch the read asked for is one this history replaced when the two sides of a
   * split merged: its events are in this history under new ids.
   */
  public boolean merged() {
    return merged;
  }

  LogSlice merged(boolean replaced) {
    this.merged = replaced;
    return this;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(head);
    out.writeLong(tail);
    out.writeInt(entries.size());
    for (LogEntry entry : entries) {
      TopicJournal.writeEntry(out, entry);
    }
    // Last, so that a member of the version before merges reads the rest and ignores it.
    out.writeBoolean(merged);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    head = in.readLong();
    tail = in.readLong();
    int count = in.readInt();
    entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(TopicJournal.readEntry(in));
    }
    merged = in instanceof java.io.InputStream stream && stream.available() > 0 && in.readBoolean();
  }
}
