package io.switchboard.common.topics;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;

/**
 * JoinPresence makes a connection present on a topic, and answers everyone present, it included,
 * when asked to: a subscriber that did not ask for presence need not carry the whole list home.
 *
 * @param id the connection's id
 * @param node the Vert.x node id of its gateway
 * @param user its user, or null
 * @param list whether to answer everyone present; otherwise the answer is an empty list
 */
public record JoinPresence(String id, String node, String user, boolean list)
    implements EntryProcessor<String, PresenceSet, List<PresenceSet.Present>> {

  private static final long serialVersionUID = 1L;

  @Override
  public List<PresenceSet.Present> process(Map.Entry<String, PresenceSet> entry) {
    PresenceSet set = entry.getValue() == null ? PresenceSet.empty() : entry.getValue();
    PresenceSet joined = set.with(id, node, user);
    entry.setValue(joined);
    return list ? joined.present() : List.of();
  }
}
