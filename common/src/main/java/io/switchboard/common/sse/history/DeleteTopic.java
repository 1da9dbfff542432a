package io.switchboard.common.sse.history;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.util.Map;

/**
 * DeleteTopic deletes a topic, history and idempotency keys, at an operator's request. The answer
 * is the epoch of the history it deleted, or null when the topic had none. The next event published
 * to the topic starts a history with a new epoch, so an id of the deleted one never names an event
 * of the new.
 */
public final class DeleteTopic implements EntryProcessor<String, TopicJournal, String>, DataSerializable {

  @Override
  public String process(Map.Entry<String, TopicJournal> entry) {
    TopicJournal journal = entry.getValue();
    if (journal == null) {
      return null;
    }
    entry.setValue(null);
    return journal.epoch();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // Nothing to send: the key says which topic.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // Nothing to read.
  }
}
