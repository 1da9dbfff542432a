package io.switchboard.gateway.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.switchboard.common.cluster.ClusterHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.gateway.auth.HazelcastRevocationStore;
import io.switchboard.gateway.auth.RevocationStore;
import io.switchboard.gateway.limits.HazelcastUserConnections;
import io.switchboard.gateway.limits.UserConnections;
import io.switchboard.gateway.presence.HazelcastTopicPresence;
import io.switchboard.gateway.presence.TopicPresence;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** HazelcastClusterView answers from this node's Hazelcast member and its cluster health watch. */
final class HazelcastClusterView implements ClusterView {

  private final ClusterNode node;
  private final ClusterHealth health;

  HazelcastClusterView(ClusterNode node) {
    this.node = node;
    this.health = ClusterHealth.watch(node);
  }

  @Override
  public int dataMemberCount() {
    return health.dataMembers();
  }

  @Override
  public int minDataMembers() {
    return node.config().minDataMembers();
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
  public MeterRegistry meterRegistry() {
    return node.metrics().registry();
  }

  @Override
  public String nodeId() {
    return node.nodeId();
  }

  @Override
  public long clusterTime() {
    return node.hazelcast().getCluster().getClusterTime();
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
  public boolean running() {
    return node.hazelcast().getLifecycleService().isRunning();
  }

  @Override
  public int memberCount() {
    return node.clusterManager().getNodes().size();
  }

  /** Empty once this member is leaving the cluster: it knows of no member then, itself included. */
  @Override
  public Set<String> memberIds() {
    try {
      return Set.copyOf(node.clusterManager().getNodes());
    } catch (HazelcastInstanceNotActiveException leaving) {
      return Set.of();
    }
  }

  @Override
  public TopicPresence topicPresence() {
    return new HazelcastTopicPresence(node);
  }

  @Override
  public UserConnections userConnections() {
    return new HazelcastUserConnections(node);
  }

  @Override
  public RevocationStore revocationStore() {
    return new HazelcastRevocationStore(node);
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
}
