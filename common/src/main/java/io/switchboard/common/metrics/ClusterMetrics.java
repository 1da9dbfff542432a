package io.switchboard.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.switchboard.common.cluster.ClusterNode;

/**
 * ClusterMetrics is what every process reports of its cluster: {@code switchboard_cluster_members},
 * the members this one sees, itself included. An alert compares it with the expected count.
 */
public final class ClusterMetrics {

  private ClusterMetrics() {
  }

  public static void bind(ClusterNode node) {
    Gauge.builder("switchboard.cluster.members", node, ClusterMetrics::members)
        .description("Members of the cluster as this process sees it, itself included")
        .register(node.metrics().registry());
  }

  private static double members(ClusterNode node) {
    try {
      return node.hazelcast().getCluster().getMembers().size();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
