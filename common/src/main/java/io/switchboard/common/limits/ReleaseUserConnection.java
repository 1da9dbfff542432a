package io.switchboard.common.limits;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * ReleaseUserConnection stops counting one of a user's connections on a gateway node, once it has
 * closed. A user with no connection left has no entry.
 *
 * @param node the gateway node the connection was open on
 */
public record ReleaseUserConnection(String node) implements EntryProcessor<String, NodeCounts, Void> {

  private static final long serialVersionUID = 1L;

  @Override
  public Void process(Map.Entry<String, NodeCounts> entry) {
    NodeCounts counts = entry.getValue();
    if (counts != null && counts.perNode().containsKey(node)) {
      entry.setValue(NodeCounts.add(counts, node, -1));
    }
    return null;
  }
}
