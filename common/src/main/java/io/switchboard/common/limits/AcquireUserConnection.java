package io.switchboard.common.limits;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * AcquireUserConnection counts one more connection of a user on a gateway node unless the user
 * already holds {@code limit} connections across the cluster. It runs atomically on the member that
 * owns the user's partition, so the limit holds however many gateways admit the user at once.
 *
 * @param node the gateway node the connection is open on
 * @param limit the most connections the user may hold, above zero
 */
public record AcquireUserConnection(String node, int limit)
    implements EntryProcessor<String, NodeCounts, Boolean> {

  private static final long serialVersionUID = 1L;

  @Override
  public Boolean process(Map.Entry<String, NodeCounts> entry) {
    NodeCounts counts = entry.getValue();
    if (counts != null && counts.total() >= limit) {
      return false;
    }
    entry.setValue(NodeCounts.add(counts, node, 1));
    return true;
  }
}
