package io.switchboard.common.sse.history;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.switchboard.common.sse.Topics;
import java.io.IOException;
import java.util.Map;

/**
 * ExpireIdleTopic deletes a topic, history and keys, once nothing was published to it and no
 * gateway reported a subscriber for {@code ttlMillis}. The answer is true when it did, and none
 * otherwise, so that a sweep over every topic answers with the deleted ones only. Topics the server
 * writes itself never expire.
 *
 * <p>It runs over every entry; the backup runs it too, with the same clock, and deletes the same.
 */
public final class ExpireIdleTopic implements EntryProcessor<String, TopicJournal, Boolean>,
    DataSerializable {

  private long now;
  private long ttlMillis;

  public ExpireIdleTopic() {
  }

  public ExpireIdleTopic(long now, long ttlMillis) {
    this.now = now;
    this.ttlMillis = ttlMillis;
  }

  @Override
  public Boolean process(Map.Entry<String, TopicJournal> entry) {
    TopicJournal log = entry.getValue();
    if (log == null || Topics.isReserved(entry.getKey()) || !log.idle(now, ttlMillis)) {
      return null;
    }
    entry.setValue(null);
    return Boolean.TRUE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(now);
    out.writeLong(ttlMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    now = in.readLong();
    ttlMillis = in.readLong();
  }
}
