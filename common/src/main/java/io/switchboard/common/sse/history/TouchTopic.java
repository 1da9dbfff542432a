package io.switchboard.common.sse.history;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * TouchTopic records that a topic is in use at a given time, though nothing is published to it:
 * a gateway has subscribers. The topic then does not expire for another {@code SSE_TOPIC_TTL_SECONDS}.
 * A topic without history is left without: subscribing creates nothing.
 */
public final class TouchTopic implements EntryProcessor<String, TopicJournal, Void>,
    DataSerializable {

  private long now;

  public TouchTopic() {
  }

  public TouchTopic(long now) {
    this.now = now;
  }

  @Override
  public Void process(Map.Entry<String, TopicJournal> entry) {
    TopicJournal log = entry.getValue();
    if (log != null) {
      log.touch(now);
      // Set again, so the backup is touched too.
      entry.setValue(log);
    }
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(now);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    now = in.readLong();
  }
}
