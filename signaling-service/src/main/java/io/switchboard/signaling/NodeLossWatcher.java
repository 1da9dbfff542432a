package io.switchboard.signaling;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.signaling.RoomChange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodeLossWatcher evicts the peers of gateway nodes that leave the cluster or die, and tells the
 * remaining members of their rooms.
 *
 * <p>Every signaling instance sweeps on every membership loss, and once at start-up in case a node
 * died while no signaling instance was running. Eviction is an entry processor, so when instances
 * race only the one whose processor removed a peer sends the {@code peer-left} notifications.
 * Sweeps run one at a time, and one refused for lack of data members is tried again
 * ({@link SweepLoop}). After a merge of split clusters it sweeps again once the merge has settled
 * ({@link #sweepAfterMerge}), for the peers of gateways that died while the cluster was split.
 * A node taken for lost that turns up in the cluster again is told which of its peers were evicted
 * ({@link EvictionNotices}).
 *
 * <p>A merge of split clusters takes the members of the side that merges in one by one, as each
 * gets the order to merge: its master often first, the others a moment later. Until then, those
 * others see their side's gateways leave, and a sweep on their side's copy of the rooms would
 * evict peers that are alive and merging too, and the merge would carry the evictions over. So a
 * sweep for a member's loss waits {@link #LOSS_GRACE_MS} first, and no sweep runs while this member
 * merges; the merge, once done, is followed by a sweep when it has settled.
 */
public final class NodeLossWatcher implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLossWatcher.class);
  /** Pause between a member's loss and the sweep that evicts its peers. */
  static final long LOSS_GRACE_MS = 2000;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final RoomRegistry registry;
  private final PresenceNotifier notifier;
  private final SweepLoop sweeps;
  private final Duration mergeSettle;
  private final EvictionNotices notices;
  private UUID registration;
  private UUID lifecycleRegistration;
  private volatile boolean merging;

  /**
   * @param mergeSettle time after a merge for the members of the side that merged in to join one
   *     by one: a gateway missing from the cluster after it is taken for dead
   * @param evictionNotice how long an eviction is kept to be told to its node, should it come back
   */
  public NodeLossWatcher(Context context, HazelcastInstance hazelcast, RoomRegistry registry,
      PresenceNotifier notifier, Duration mergeSettle, Duration evictionNotice) {
    this.context = context;
    this.mergeSettle = mergeSettle;
    this.hazelcast = hazelcast;
    this.registry = registry;
    this.notifier = notifier;
    this.notices = new EvictionNotices(context.owner(), () -> noticeableNodes(hazelcast), evictionNotice);
    this.sweeps = new SweepLoop(context, "evicting peers of lost nodes", "sweep-no-quorum", this::sweep,
        hazelcast.getLifecycleService()::isRunning);
  }

  /** Starts watching and sweeps once; completes when the first sweep is done. */
  public Future<Void> start() {
    registration = hazelcast.getCluster().addMembershipListener(this);
    lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(this::onLifecycle);
    return sweeps.request();
  }

  public void stop() {
    sweeps.stop();
    notices.stop();
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
    }
  }

  /**
   * Sweeps once the members of a merge have had time to join: a room merged from two copies may
   * hold peers of a gateway that died on one side while the other side still listed them.
   */
  public void sweepAfterMerge() {
    context.owner().setTimer(mergeSettle.toMillis(), id -> sweeps.request());
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    // Nothing to do: a new gateway has no peers yet.
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    Object node = event.getMember().getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
    // Hazelcast calls this on its own event thread; room state is touched from the verticle's context.
    context.runOnContext(v -> {
      LOG.info("Cluster member {} (node {}) is gone; evicting its peers in {} ms", event.getMember().getUuid(),
          node, LOSS_GRACE_MS);
      context.owner().setTimer(LOSS_GRACE_MS, id -> sweeps.request());
    });
  }

  /** Hazelcast's lifecycle: no sweep while this member merges, and one once the merge settled. */
  void onLifecycle(LifecycleEvent event) {
    LifecycleState state = event.getState();
    if (state == LifecycleState.MERGING) {
      merging = true;
    } else if (state == LifecycleState.MERGED || state == LifecycleState.MERGE_FAILED) {
      merging = false;
      context.runOnContext(v -> sweepAfterMerge());
    }
  }

  private Future<?> sweep() {
    if (merging) {
      LOG.info("Not evicting peers of lost nodes while this member merges into another cluster");
      return Future.succeededFuture();
    }
    return registry.evictAllBut(liveNodes(hazelcast)).onSuccess(this::notifyEvictions);
  }

  /** The Vert.x node ids of the cluster's current members. */
  private static Set<String> liveNodes(HazelcastInstance hazelcast) {
    return nodes(hazelcast, member -> true);
  }

  /**
   * The node ids of the current members that answer an eviction notice: those of this release or
   * newer. An older gateway would read it as a plain departure, and never answer it.
   */
  private static Set<String> noticeableNodes(HazelcastInstance hazelcast) {
    return nodes(hazelcast, BusProtocol::atThisVersion);
  }

  private static Set<String> nodes(HazelcastInstance hazelcast, Predicate<Member> which) {
    Set<String> nodes = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      Object node = member.getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
      if (node != null && which.test(member)) {
        nodes.add(node.toString());
      }
    }
    return nodes;
  }

  private void notifyEvictions(Map<String, RoomChange> changes) {
    changes.forEach((room, change) -> {
      LOG.atInfo().addKeyValue(LogFields.ROOM, room).log("Evicted {} peers of lost nodes from room {} ({}"
          + " members left)", change.removed().size(), room, change.members().size());
      notifier.left(room, change);
    });
    notices.add(changes);
  }
}
