package io.switchboard.common.topics;

import com.hazelcast.map.EntryProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SweepPresence removes from a topic's presence every connection of a gateway node that is no
 * longer in the cluster, and answers who was removed (null when nobody, which
 * {@code executeOnEntries} leaves out), so that each leave is announced once, by whoever swept it.
 *
 * @param liveNodes the Vert.x node ids of the cluster's current members
 */
public record SweepPresence(Set<String> liveNodes)
    implements EntryProcessor<String, PresenceSet, List<PresenceSet.Present>> {

  private static final long serialVersionUID = 1L;

  public SweepPresence {
    liveNodes = Set.copyOf(liveNodes);
  }

  @Override
  public List<PresenceSet.Present> process(Map.Entry<String, PresenceSet> entry) {
    PresenceSet set = entry.getValue();
    if (set == null) {
      return null;
    }
    Map<String, String> gone = set.on(liveNodes, false);
    if (gone.isEmpty()) {
      return null;
    }
    PresenceSet kept = set;
    List<PresenceSet.Present> removed = new ArrayList<>();
    for (String id : gone.keySet()) {
      removed.add(new PresenceSet.Present(id, set.users().get(id)));
      kept = kept.without(id);
    }
    entry.setValue(kept.isEmpty() ? null : kept);
    return removed;
  }
}
