package io.switchboard.common.service;

import io.switchboard.common.cluster.ClusterConfig;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.LoneMemberWatch;
import io.switchboard.common.cluster.PauseWatch;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MemberRejoin gives a data member's process a new cluster member when the one it had was dropped
 * while the process stood still ({@link PauseWatch}): a long garbage collection, a paused VM.
 *
 * <p>The dropped member wakes up with the cluster's state as it was when it stopped, and with
 * requests it was sent before. Left to itself it finds the others gone, forms a cluster of its own,
 * and Hazelcast merges the two again. With one data member on each side, the members' addresses
 * decide which side's state is kept, so half the time the others would be merged into the stale
 * member: what they stored meanwhile, acknowledged events and idempotency keys included, would be
 * lost, and its ids given to other events. So the member is terminated at once, before the others
 * can find it and without handing anything over, and the process joins again as a new member,
 * which takes its share of the state from the others, and deploys its services anew. Every change
 * was backed up on another data member before it was acknowledged, so nothing the cluster answered
 * for is lost.
 */
final class MemberRejoin {

  private static final Logger LOG = LoggerFactory.getLogger(MemberRejoin.class);

  private final String service;
  private final ClusterConfig cluster;
  private final AtomicReference<ClusterNode> current;
  private final Supplier<ClusterNode> start;
  private final Consumer<ClusterNode> close;

  MemberRejoin(String service, ClusterConfig cluster, AtomicReference<ClusterNode> current,
      Supplier<ClusterNode> start, Consumer<ClusterNode> close) {
    this.service = service;
    this.cluster = cluster;
    this.current = current;
    this.start = start;
    this.close = close;
  }

  /**
   * Watches the member in {@code current} for being left alone ({@link LoneMemberWatch}) and, on a
   * data member, the process for pauses that outlast the cluster's failure detection; after
   * either, stops the member with {@code close} and puts the one {@code start} makes there.
   */
  static void watch(String service, ClusterConfig cluster, AtomicReference<ClusterNode> current,
      Supplier<ClusterNode> start, Consumer<ClusterNode> close) {
    MemberRejoin rejoin = new MemberRejoin(service, cluster, current, start, close);
    LoneMemberWatch.start(cluster, current::get, rejoin::afterAlone);
    if (!cluster.liteMember()) {
      // A lite member holds no state to go stale: after a pause it is merged back or left alone.
      PauseWatch.start(Duration.ofSeconds(cluster.maxNoHeartbeatSeconds()),
          () -> current.get().hazelcast().getCluster().getMembers().size(), rejoin::afterPause);
    }
  }

  /** Runs on the watch's thread after a pause longer than the failure detection. */
  void afterPause(Duration pause, int membersBefore) {
    ClusterNode node = current.get();
    if (membersBefore < 2) {
      LOG.warn("{} stood still for {} ms, but it was alone in its cluster: nobody dropped it",
          service, pause.toMillis());
      return;
    }
    LOG.error("{} stood still for {} ms, longer than CLUSTER_MAX_NO_HEARTBEAT_SECONDS ({} s): the"
        + " cluster has dropped node {}, whose copy of the cluster's state is stale. Leaving without"
        + " merging it back, and joining again as a new member", service, pause.toMillis(),
        cluster.maxNoHeartbeatSeconds(), node.nodeId());
    replace(node);
  }

  /**
   * Runs on the lone-member watch's thread: the member has been alone below
   * {@code CLUSTER_MIN_DATA_MEMBERS} (a lite member: without any data member) for {@code alone}
   * while another member answers.
   */
  void afterAlone(Duration alone) {
    ClusterNode node = current.get();
    if (cluster.liteMember()) {
      LOG.error("{} has had no data member in its cluster for {} ms, while other members answer: the"
          + " others dropped node {}. A lite member holds no cluster state; leaving and joining again"
          + " as a new member rather than waiting for a merge", service, alone.toMillis(), node.nodeId());
      replace(node);
      return;
    }
    LOG.error("{} has been alone in its cluster for {} ms, below CLUSTER_MIN_DATA_MEMBERS ({}), while"
        + " other members answer: the others dropped node {}. It stored nothing meanwhile; leaving and"
        + " joining again as a new member rather than waiting for a merge", service, alone.toMillis(),
        cluster.minDataMembers(), node.nodeId());
    replace(node);
  }

  /**
   * Stops {@code node} and starts its successor, once however many watches ask. The watches'
   * threads are daemons and the old member's threads are the process's only non-daemon ones: once
   * they end, the JVM would exit before the new member starts, so a non-daemon thread does the
   * work and keeps the process alive until the new member runs.
   */
  private synchronized void replace(ClusterNode node) {
    if (current.get() != node) {
      return;
    }
    Thread rejoin = new Thread(() -> {
      node.hazelcast().getLifecycleService().terminate();
      close.accept(node);
      current.set(start.get());
    }, "switchboard-rejoin");
    rejoin.setDaemon(false);
    rejoin.start();
    try {
      rejoin.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
