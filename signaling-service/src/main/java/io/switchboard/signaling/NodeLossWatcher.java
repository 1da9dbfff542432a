package io.switchboard.signaling;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.DataQuorum;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.signaling.RoomChange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodeLossWatcher evicts the peers of gateway nodes that leave the cluster or die, and tells the
 * remaining members of their rooms.
 *
 * <p>Every signaling instance sweeps on every membership loss, and once at start-up in case a node
 * died while no signaling instance was running. Eviction is an entry processor, so when instances
 * race only the one whose processor removed a peer sends the {@code peer-left} notifications.
 * A sweep refused while the cluster has fewer data members than {@code CLUSTER_MIN_DATA_MEMBERS}
 * is tried again every few seconds until one passes: the member that restores the minimum may
 * join before Hazelcast counts it, so its arrival is no signal to sweep on.
 */
public final class NodeLossWatcher implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLossWatcher.class);
  private static final LimitLog REFUSALS = new LimitLog(LOG);
  /** Pause before a sweep refused for lack of data members is tried again. */
  static final long REFUSED_RETRY_MS = 2000;

  private final Context context;
  private final HazelcastInstance hazelcast;
  private final RoomRegistry registry;
  private final PresenceNotifier notifier;
  private UUID registration;
  private boolean stopped;
  private boolean sweeping;
  private boolean sweepAgain;
  private boolean retryPending;

  public NodeLossWatcher(Context context, HazelcastInstance hazelcast, RoomRegistry registry,
      PresenceNotifier notifier) {
    this.context = context;
    this.hazelcast = hazelcast;
    this.registry = registry;
    this.notifier = notifier;
  }

  /** Starts watching and sweeps once; completes when the first sweep is done. */
  public Future<Void> start() {
    registration = hazelcast.getCluster().addMembershipListener(this);
    return sweep();
  }

  public void stop() {
    stopped = true;
    if (registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
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
      LOG.info("Cluster member {} (node {}) is gone; evicting its peers", event.getMember().getUuid(), node);
      sweep();
    });
  }

  private Future<Void> sweep() {
    if (stopped || !hazelcast.getLifecycleService().isRunning()) {
      return Future.succeededFuture();
    }
    if (sweeping) {
      // A loss during a sweep is covered by one more sweep right after it.
      sweepAgain = true;
      return Future.succeededFuture();
    }
    sweeping = true;
    Set<String> live = liveNodes();
    return registry.evictAllBut(live)
        .onSuccess(this::notifyEvictions)
        .onFailure(this::sweepFailed)
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture())
        .onComplete(done -> {
          sweeping = false;
          if (sweepAgain) {
            sweepAgain = false;
            sweep();
          }
        });
  }

  private void sweepFailed(Throwable err) {
    if (!DataQuorum.refused(err)) {
      LOG.warn("Evicting peers of lost nodes failed: {}", err.toString());
      return;
    }
    REFUSALS.hit("sweep-no-quorum", "Not evicting peers of lost nodes yet: the cluster has fewer data"
        + " members than CLUSTER_MIN_DATA_MEMBERS; trying again every {} ms", REFUSED_RETRY_MS);
    if (!retryPending) {
      retryPending = true;
      context.owner().setTimer(REFUSED_RETRY_MS, id -> {
        retryPending = false;
        sweep();
      });
    }
  }

  private Set<String> liveNodes() {
    Set<String> live = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      Object node = member.getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
      if (node != null) {
        live.add(node.toString());
      }
    }
    return live;
  }

  private void notifyEvictions(Map<String, RoomChange> changes) {
    changes.forEach((room, change) -> {
      LOG.info("Evicted {} peers of lost nodes from room {} ({} members left)", change.removed().size(),
          room, change.members().size());
      notifier.left(room, change);
    });
  }
}
