package io.switchboard.gateway.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.switchboard.common.cluster.ClusterHealth;
import io.switchboard.common.cluster.ClusterNode;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

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

  /** Members of the cluster that hold data; lite members (gateways, echo) hold none. */
  default int dataMemberCount() {
    return 1;
  }

  /** Milliseconds since the member list last changed. */
  default long stableForMillis() {
    return Long.MAX_VALUE;
  }

  /**
   * Addresses the seed names give where a member listens outside this cluster: a split this node
   * knows of, or a member still joining.
   */
  default Set<String> unmergedSeeds() {
    return Set.of();
  }

  /**
   * Calls {@code left} with the node id of every member that leaves the cluster or is dropped from
   * it, and {@code joined} with that of every member that joins it (a node dropped by mistake can
   * come back under its id when the cluster heals), on a cluster thread; returns what stops the
   * calls.
   */
  default Runnable watchMembers(Consumer<String> left, Consumer<String> joined) {
    return () -> { };
  }

  static ClusterView of(ClusterNode node) {
    ClusterHealth health = ClusterHealth.watch(node);
    return new ClusterView() {
      @Override
      public int dataMemberCount() {
        return health.dataMembers();
      }

      @Override
      public long stableForMillis() {
        return health.stableForMillis();
      }

      @Override
      public Set<String> unmergedSeeds() {
        return health.unmergedSeeds();
      }

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

      @Override
      public Runnable watchMembers(Consumer<String> left, Consumer<String> joined) {
        UUID registration = node.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {
            String id = event.getMember().getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
            if (id != null) {
              joined.accept(id);
            }
          }

          @Override
          public void memberRemoved(MembershipEvent event) {
            String id = event.getMember().getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
            if (id != null) {
              left.accept(id);
            }
          }
        });
        return () -> {
          if (node.hazelcast().getLifecycleService().isRunning()) {
            node.hazelcast().getCluster().removeMembershipListener(registration);
          }
        };
      }
    };
  }
}
