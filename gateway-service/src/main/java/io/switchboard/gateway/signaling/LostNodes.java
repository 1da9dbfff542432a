package io.switchboard.gateway.signaling;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * LostNodes remembers the gateway nodes that left the cluster and have not come back, so that a
 * join answered after a loss does not list their peers. Safe to use from any thread.
 */
final class LostNodes {

  /** Lost gateway nodes remembered, beyond which the oldest are forgotten. */
  private static final int MAX_LOST_NODES = 64;

  private final String self;
  private final Set<String> lost = new LinkedHashSet<>();

  LostNodes(String self) {
    this.self = self;
  }

  /** Records a loss; true when {@code node} was not known lost already. */
  synchronized boolean add(String node) {
    if (node.equals(self) || !lost.add(node)) {
      return false;
    }
    if (lost.size() > MAX_LOST_NODES) {
      lost.remove(lost.iterator().next());
    }
    return true;
  }

  /** A node back in the cluster, as after a healed partition: its peers count again. */
  synchronized void remove(String node) {
    lost.remove(node);
  }

  /** Oldest first. */
  synchronized Collection<String> all() {
    return List.copyOf(lost);
  }

  synchronized boolean contains(String node) {
    return lost.contains(node);
  }
}
