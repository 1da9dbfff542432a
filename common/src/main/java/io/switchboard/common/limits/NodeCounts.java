package io.switchboard.common.limits;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * NodeCounts is one user's open connections on each gateway node, the value of
 * {@link UserConnectionMaps#USERS}. It is stored in a Hazelcast map, so it uses only JDK types.
 *
 * @param perNode gateway node id to the user's connections there, each above zero
 */
public record NodeCounts(Map<String, Integer> perNode) implements Serializable {

  private static final long serialVersionUID = 1L;

  public NodeCounts {
    perNode = Collections.unmodifiableMap(new HashMap<>(perNode));
  }

  /** The user's connections on every node together. */
  public int total() {
    int total = 0;
    for (int count : perNode.values()) {
      total += count;
    }
    return total;
  }

  /**
   * {@code counts} with {@code delta} added on {@code node}; null, which removes the entry, when no
   * connection is left anywhere.
   */
  static NodeCounts add(NodeCounts counts, String node, int delta) {
    Map<String, Integer> next = counts == null ? new HashMap<>() : new HashMap<>(counts.perNode);
    int count = next.getOrDefault(node, 0) + delta;
    if (count > 0) {
      next.put(node, count);
    } else {
      next.remove(node);
    }
    return next.isEmpty() ? null : new NodeCounts(next);
  }

  /** {@code counts} without the nodes outside {@code liveNodes}; null when nothing is left. */
  static NodeCounts keepOnly(NodeCounts counts, Set<String> liveNodes) {
    Map<String, Integer> next = new HashMap<>(counts.perNode);
    next.keySet().retainAll(liveNodes);
    return next.isEmpty() ? null : new NodeCounts(next);
  }
}
