package io.switchboard.common.sse.history;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * ReadEvents reads a slice of a topic's {@link TopicJournal} in one look: its bounds and up to
 * {@code limit} events from a sequence of the given epoch on. The answer is null for a topic
 * without history.
 */
public final class ReadEvents implements EntryProcessor<String, TopicJournal, LogSlice>, ReadOnly,
    DataSerializable {

  private String epoch;
  private long from;
  private int limit;
  private long now;
  private long ttlMillis;

  public ReadEvents() {
  }

  /**
   * Reads from sequence {@code from} when the log's epoch is {@code epoch} and the sequence is
   * retained, else from the oldest retained event.
   */
  public ReadEvents(String epoch, long from, int limit, long now, long ttlMillis) {
    this.epoch = epoch;
    this.from = from;
    this.limit = limit;
    this.now = now;
    this.ttlMillis = ttlMillis;
  }

  @Override
  public LogSlice process(Map.Entry<String, TopicJournal> entry) {
    TopicJournal log = entry.getValue();
    if (log == null) {
      return null;
    }
    long start = epoch != null && epoch.equals(log.epoch()) ? from : -1;
    return log.read(start, limit, now, ttlMillis).merged(epoch != null && log.replaced(epoch));
  }

  @Override
  public EntryProcessor<String, TopicJournal, LogSlice> getBackupProcessor() {
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(epoch);
    out.writeLong(from);
    out.writeInt(limit);
    out.writeLong(now);
    out.writeLong(ttlMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readString();
    from = in.readLong();
    limit = in.readInt();
    now = in.readLong();
    ttlMillis = in.readLong();
  }
}
