package io.switchboard.gateway.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.metrics.ProcessMetrics;
import io.switchboard.gateway.auth.RevocationStore;
import io.switchboard.gateway.limits.LocalUserConnections;
import io.switchboard.gateway.limits.UserConnections;
import io.switchboard.gateway.presence.LocalTopicPresence;
import io.switchboard.gateway.presence.TopicPresence;
import java.util.Set;
import java.util.function.Consumer;

/** ClusterView is what the gateway needs to know about its own cluster membership. */
public interface ClusterView {

  String nodeId();

  String clusterName();

  /** True while this node is an active member of the cluster. */
  boolean joined();

  /**
   * False once this node's Hazelcast member has stopped for good (terminated, or shut down after an
   * error): the node cannot serve or rejoin, and only a restart of the process brings it back.
   */
  default boolean running() {
    return true;
  }

  int memberCount();

  /**
   * The time the members agree on, in milliseconds since the epoch: Hazelcast's cluster time, the
   * master's clock as this member knows it. Deadlines sent to other members are in it, so that
   * they hold whatever the hosts' clocks say. Without a cluster, this machine's clock.
   */
  default long clusterTime() {
    return System.currentTimeMillis();
  }

  /** The node ids of the current cluster members, this one included. */
  default Set<String> memberIds() {
    return Set.of(nodeId());
  }

  /** Members of the cluster that hold data; lite members (gateways, echo) hold none. */
  default int dataMemberCount() {
    return 1;
  }

  /** Data members the cluster needs to accept writes ({@code CLUSTER_MIN_DATA_MEMBERS}). */
  default int minDataMembers() {
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

  /** Who is present on each topic subscribed over WebSocket; call once per node. */
  default TopicPresence topicPresence() {
    return new LocalTopicPresence();
  }

  /**
   * A new count of each user's connections across the cluster, for {@code LIMIT_CONNECTIONS_PER_USER};
   * a gateway asks once. Without a cluster, the count of this node.
   */
  default UserConnections userConnections() {
    return new LocalUserConnections();
  }

  /** Where the operators' revocations of users' tokens are shared; call once per node. */
  default RevocationStore revocationStore() {
    return RevocationStore.local();
  }

  /** Where this node's metrics go; one that keeps nothing without a process's metrics. */
  default MeterRegistry meterRegistry() {
    return ProcessMetrics.disabled().registry();
  }

  static ClusterView of(ClusterNode node) {
    return new HazelcastClusterView(node);
  }
}
