package io.switchboard.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.signaling.RoomMaps;
import io.switchboard.common.sse.history.HistoryMaps;

/**
 * ClusterMetrics is what every process reports of its cluster:
 * <ul>
 *   <li>{@code switchboard_cluster_members}: the members this one sees, itself included. An alert
 *       compares it with the expected count.
 *   <li>{@code switchboard_ready}: 1 while the management port's {@code /ready} answers 200, else 0.
 *   <li>{@code switchboard_rooms} and {@code switchboard_topics}: the signaling rooms and the topics
 *       with a history whose primary copy this member holds. Every room and topic has exactly one,
 *       so the sum over the processes of a cluster is its total; a lite member holds none. Read
 *       from the member's own statistics, without asking the others.
 * </ul>
 */
public final class ClusterMetrics {

  private ClusterMetrics() {
  }

  public static void bind(ClusterNode node) {
    Gauge.builder("switchboard.cluster.members", node, ClusterMetrics::members)
        .description("Members of the cluster as this process sees it, itself included")
        .register(node.metrics().registry());
    Gauge.builder("switchboard.ready", node, n -> Readiness.ready(n) ? 1 : 0)
        .description("1 while this process's /ready on the management port answers 200, else 0")
        .register(node.metrics().registry());
    Gauge.builder("switchboard.rooms", node, n -> ownedEntries(n, RoomMaps.ROOMS))
        .description("Signaling rooms whose primary copy this member holds; sum over processes for the cluster's")
        .register(node.metrics().registry());
    Gauge.builder("switchboard.topics", node, n -> ownedEntries(n, HistoryMaps.HISTORY))
        .description("Topics with a history whose primary copy this member holds; sum over processes for the cluster's")
        .register(node.metrics().registry());
  }

  private static double members(ClusterNode node) {
    try {
      return node.hazelcast().getCluster().getMembers().size();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static double ownedEntries(ClusterNode node, String map) {
    try {
      return node.hazelcast().getMap(map).getLocalMapStats().getOwnedEntryCount();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
