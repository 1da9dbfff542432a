package io.switchboard.common.topics;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;

/**
 * JoinPresence makes a connection present on a topic, and answers everyone present, it included.
 *
 * @param id the connection's id
 * @param node the Vert.x node id of its gateway
 * @param user its user, or null
 */
public record JoinPresence(String id, String node, String user)
    implements EntryProcessor<String, PresenceSet, List<PresenceSet.Present>> {

  private static final long serialVersionUID = 1L;

  @Override
  public List<PresenceSet.Present> process(Map.Entry<String, PresenceSet> entry) {
    PresenceSet set = entry.getValue() == null ? PresenceSet.empty() : entry.getValue();
    PresenceSet joined = set.with(id, node, user);
    entry.setValue(joined);
    return joined.present();
  }
}
