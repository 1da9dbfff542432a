package io.switchboard.common.topics;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * LeavePresence removes a connection from a topic's presence; answers whether it was present, so
 * that its leave is announced once. The topic's entry goes with its last connection.
 *
 * @param id the connection's id
 */
public record LeavePresence(String id) implements EntryProcessor<String, PresenceSet, Boolean> {

  private static final long serialVersionUID = 1L;

  @Override
  public Boolean process(Map.Entry<String, PresenceSet> entry) {
    PresenceSet set = entry.getValue();
    if (set == null || !set.nodes().containsKey(id)) {
      return false;
    }
    PresenceSet left = set.without(id);
    entry.setValue(left.isEmpty() ? null : left);
    return true;
  }
}
