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

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(head);
    out.writeLong(tail);
    out.writeInt(entries.size());
    for (LogEntry entry : entries) {
      TopicLog.writeEntry(out, entry);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    head = in.readLong();
    tail = in.readLong();
    int count = in.readInt();
    entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(TopicLog.readEntry(in));
    }
  }
}
