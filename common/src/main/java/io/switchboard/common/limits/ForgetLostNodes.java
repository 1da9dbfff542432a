package io.switchboard.common.limits;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;
import java.util.Set;

/**
 * ForgetLostNodes stops counting the connections of gateway nodes that are no longer in the
 * cluster: a gateway that was killed never released them. It runs over every user when a member
 * leaves or dies, and once when a gateway starts.
 *
 * @param liveNodes the Vert.x node ids of the cluster's current members; counts on any other node
 *     are dropped
 */
public record ForgetLostNodes(Set<String> liveNodes) implements EntryProcessor<String, NodeCounts, Void> {

  private static final long serialVersionUID = 1L;

  public ForgetLostNodes {
    liveNodes = Set.copyOf(liveNodes);
  }

  @Override
  public Void process(Map.Entry<String, NodeCounts> entry) {
    NodeCounts counts = entry.getValue();
    if (counts != null && !liveNodes.containsAll(counts.perNode().keySet())) {
      entry.setValue(NodeCounts.keepOnly(counts, liveNodes));
    }
    return null;
  }
}
