package io.switchboard.common.metrics;

import com.hazelcast.cluster.Member;
import io.switchboard.common.cluster.ClusterNode;

/**
 * Readiness says whether a process can serve: its Hazelcast member runs, and its cluster has a
 * member that holds data (a lite member alone can keep no rooms and no history).
 */
final class Readiness {

  private Readiness() {
  }

  static boolean ready(ClusterNode node) {
    try {
      if (!node.hazelcast().getLifecycleService().isRunning()) {
        return false;
      }
      for (Member member : node.hazelcast().getCluster().getMembers()) {
        if (!member.isLiteMember()) {
          return true;
        }
      }
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
