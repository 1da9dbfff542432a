package io.switchboard.gateway;

import io.switchboard.common.cluster.ClusterNode;
import java.util.Set;

/** ClusterView is what the gateway needs to know about its own cluster membership. */
public interface ClusterView {

  String nodeId();

  String clusterName();

  /** True while this node is an active member of the cluster. */
  boolean joined();

  int memberCount();

  /** The node ids of the current cluster members, this one included. */
  default Set<String> memberIds() {
    return Set.of(nodeId());
  }

  static ClusterView of(ClusterNode node) {
    return new ClusterView() {
      @Override
      public String nodeId() {
        return node.nodeId();
      }

      @Override
      public String clusterName() {
        return node.config().name();
      }

      @Override
      public boolean joined() {
        return node.clusterManager().isActive()
            && node.hazelcast().getLifecycleService().isRunning()
            && node.clusterManager().getNodes().contains(node.nodeId());
      }

      @Override
      public int memberCount() {
        return node.clusterManager().getNodes().size();
      }

      @Override
      public Set<String> memberIds() {
        return Set.copyOf(node.clusterManager().getNodes());
      }
    };
  }
}
