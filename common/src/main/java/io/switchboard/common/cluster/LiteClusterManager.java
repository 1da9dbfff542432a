package io.switchboard.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiteClusterManager is the cluster manager of a Hazelcast lite member: a gateway or an echo
 * service, which holds no partition of cluster state.
 *
 * <p>Vert.x keeps its own state (the event-bus subscriptions and node infos) in maps, and a
 * cluster of lite members alone has nowhere to keep them. So joining completes only once a data
 * member (an sse-service, a signaling-service or the embedded process) is in the cluster: until
 * then the member waits, logs every {@link #WAIT_LOG_MS} that it does, and never gives up.
 *
 * <p>Should every data member be lost later, Vert.x's state goes with them, this member's
 * subscriptions included, and nothing would put them back when a data member returns. So when the
 * first data member joins a cluster left with none, this member publishes its subscriptions and
 * node info again, as Vert.x does itself after a member is removed.
 */
final class LiteClusterManager extends MembershipAwareClusterManager {

  private static final Logger LOG = LoggerFactory.getLogger(LiteClusterManager.class);
  static final long WAIT_LOG_MS = 10_000;

  private final Consumer<HazelcastInstance> onWaiting;
  private Vertx vertx;

  LiteClusterManager(Config config, Consumer<HazelcastInstance> onWaiting) {
    super(config);
    this.onWaiting = onWaiting;
  }

  @Override
  public void init(Vertx vertx) {
    super.init(vertx);
    this.vertx = vertx;
  }

  @Override
  public void join(Completable<Void> promise) {
    super.join((ok, failure) -> {
      if (failure != null) {
        promise.fail(failure);
        return;
      }
      HazelcastInstance hazelcast = getHazelcastInstance();
      whenDataMember(hazelcast).future().onComplete(promise).onSuccess(v -> watchDataMembers(hazelcast));
    });
  }

  /** Republishes this member's state when data members come back after all were lost. */
  private void watchDataMembers(HazelcastInstance hazelcast) {
    AtomicBoolean lost = new AtomicBoolean();
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        if (!event.getMember().isLiteMember() && lost.compareAndSet(true, false)) {
          LOG.warn("A data member joined a cluster that had lost them all; publishing this"
              + " member's event-bus subscriptions again");
          vertx.executeBlocking(() -> {
            VertxInternals.republishOwnState(LiteClusterManager.this);
            return null;
          }, false).onFailure(err -> LOG.error("Could not publish the subscriptions again: {}",
              err.toString()));
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        if (!hasDataMember(hazelcast) && lost.compareAndSet(false, true)) {
          LOG.error("Every data member has left the cluster: cluster state is lost, and this lite"
              + " member cannot serve until one joins");
        }
      }
    });
  }

  /** True when a member of the cluster holds data. */
  static boolean hasDataMember(HazelcastInstance hazelcast) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.isLiteMember()) {
        return true;
      }
    }
    return false;
  }

  private Promise<Void> whenDataMember(HazelcastInstance hazelcast) {
    Promise<Void> found = Promise.promise();
    AtomicBoolean done = new AtomicBoolean();
    UUID registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        if (!event.getMember().isLiteMember() && done.compareAndSet(false, true)) {
          found.tryComplete();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
      }
    });
    if (hasDataMember(hazelcast) && done.compareAndSet(false, true)) {
      found.tryComplete();
    }
    if (!done.get()) {
      LOG.warn("No data member (sse-service, signaling-service or the embedded process) in the"
          + " cluster yet; this lite member waits for one before it serves");
      onWaiting.accept(hazelcast);
      long timer = vertx.setPeriodic(WAIT_LOG_MS, id -> {
        if (!done.get()) {
          LOG.warn("Still waiting for a data member to join the cluster ({} members, all lite)",
              hazelcast.getCluster().getMembers().size());
        }
      });
      found.future().onComplete(v -> vertx.cancelTimer(timer));
    }
    found.future().onComplete(v -> {
      hazelcast.getCluster().removeMembershipListener(registration);
      LOG.info("A data member is in the cluster; joining");
    });
    return found;
  }
}
