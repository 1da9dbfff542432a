package io.switchboard.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.MapEvent;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MembershipAwareClusterManager is Vert.x's Hazelcast cluster manager, repaired for members that
 * are dropped and for members that come back from a split, such as one frozen by a long pause.
 *
 * <ul>
 *   <li>A dropped member gets no more requests from this one as soon as Hazelcast reports it
 *       gone, not seconds later once the subscription table is cleaned ({@link RegistrationView}).
 *   <li>A member back from a split is routed to again: the addresses this member routes to are
 *       read again from the table.
 *   <li>Consumers outlive a stale view. A member that was cut off wakes up to find every other
 *       member gone, and removes their consumers from the table, possibly after it has merged
 *       back (vertx-hazelcast scans the whole table, which waits while partitions move). Removals
 *       for a node id that is a member again are skipped, and a member whose own consumers are
 *       removed by another while it still has them puts them back.
 *   <li>One slow cleanup does not hold up the next departure. Vert.x's own handling of a
 *       departure scans the whole table while holding this cluster manager's lock, on the thread
 *       that delivers every membership event in turn. A scan whose answer was lost (a member's
 *       connection dropped mid-call) waits for Hazelcast's operation timeout, and every departure
 *       after it waited as long to reach routing. Routing learns of each membership change on
 *       Hazelcast's thread at once; Vert.x's handling runs, in order, on a thread of its own.
 * </ul>
 */
class MembershipAwareClusterManager extends HazelcastClusterManager {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipAwareClusterManager.class);
  static final String SUBSCRIPTIONS = "__vertx.subs";

  private final RegistrationView view = new RegistrationView();
  private final AtomicBoolean republishing = new AtomicBoolean();
  private final ExecutorService membershipWork = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "switchboard-membership-work");
    thread.setDaemon(true);
    return thread;
  });
  private Vertx vertx;

  MembershipAwareClusterManager(Config config) {
    super(config);
  }

  @Override
  public void init(Vertx vertx) {
    super.init(vertx);
    this.vertx = vertx;
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    view.routeTo(listener);
    super.registrationListener(view);
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    super.getRegistrations(address, (registrations, failure) -> promise.complete(
        failure == null ? view.resolved(address, registrations) : null, failure));
  }

  @Override
  public void join(Completable<Void> promise) {
    super.join((ok, failure) -> {
      if (failure == null) {
        getHazelcastInstance().<String, HazelcastRegistrationInfo>getMultiMap(SUBSCRIPTIONS)
            .addEntryListener(new OwnRemovals(), true);
      }
      promise.complete(ok, failure);
    });
  }

  @Override
  public void leave(Completable<Void> promise) {
    super.leave((ok, failure) -> {
      membershipWork.shutdown();
      promise.complete(ok, failure);
    });
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    if (view.returned(nodeIdOf(event.getMember()))) {
      rereadRoutes();
    }
    inOrder(() -> super.memberAdded(event));
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String nodeId = nodeIdOf(event.getMember());
    if (hasNode(event.getMembers(), nodeId)) {
      LOG.warn("Member {} of node {} left, but the node is in the cluster again; keeping its"
          + " event-bus consumers", event.getMember().getAddress(), nodeId);
      return;
    }
    view.departed(nodeId);
    inOrder(() -> super.memberRemoved(event));
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    inOrder(() -> super.stateChanged(event));
    if (event.getState() == LifecycleEvent.LifecycleState.MERGED && isActive()) {
      boolean back = false;
      for (Member member : getHazelcastInstance().getCluster().getMembers()) {
        back |= view.returned(nodeIdOf(member));
      }
      if (back) {
        rereadRoutes();
      }
    }
  }

  /**
   * Runs Vert.x's handling of a membership change after the ones before it, off Hazelcast's event
   * thread: it may wait on the table for as long as Hazelcast's operation timeout.
   */
  private void inOrder(Runnable handling) {
    try {
      membershipWork.execute(handling);
    } catch (RejectedExecutionException leftAlready) {
      LOG.debug("Membership change after this node left the cluster; ignored");
    }
  }

  /** Reads the consumers of every address routed to again, and hands them to routing. */
  private void rereadRoutes() {
    for (String address : view.knownAddresses()) {
      super.getRegistrations(address, (registrations, failure) -> {
        if (failure == null) {
          view.registrationsUpdated(new RegistrationUpdateEvent(address, registrations));
        }
      });
    }
  }

  /** Puts this node's consumers back in the table, once at a time, on a worker thread. */
  private void republishOwnConsumers() {
    if (!isActive() || !republishing.compareAndSet(false, true)) {
      return;
    }
    vertx.executeBlocking(() -> {
      republishing.set(false);
      if (isActive()) {
        VertxInternals.republishOwnState(this);
      }
      return null;
    }, false).onFailure(err -> {
      if (isActive()) {
        LOG.warn("Could not put this node's event-bus consumers back: {}", err.toString());
      }
    });
  }

  static String nodeIdOf(Member member) {
    return member.getAttribute(ClusterNode.NODE_ID_ATTRIBUTE);
  }

  private static boolean hasNode(Set<Member> members, String nodeId) {
    return nodeId != null && members.stream().anyMatch(member -> nodeId.equals(nodeIdOf(member)));
  }

  /**
   * OwnRemovals watches the table for removals of this node's consumers. Its own removals (a
   * consumer unregistered) are put back too, which changes nothing: Vert.x forgot them first.
   */
  private final class OwnRemovals implements EntryListener<String, HazelcastRegistrationInfo> {

    @Override
    public void entryRemoved(EntryEvent<String, HazelcastRegistrationInfo> event) {
      HazelcastRegistrationInfo removed = event.getOldValue() != null ? event.getOldValue() : event.getValue();
      if (removed != null && removed.unwrap().nodeId().equals(getNodeId())) {
        republishOwnConsumers();
      }
    }

    @Override
    public void entryAdded(EntryEvent<String, HazelcastRegistrationInfo> event) {
    }

    @Override
    public void entryUpdated(EntryEvent<String, HazelcastRegistrationInfo> event) {
    }

    @Override
    public void entryEvicted(EntryEvent<String, HazelcastRegistrationInfo> event) {
    }

    @Override
    public void entryExpired(EntryEvent<String, HazelcastRegistrationInfo> event) {
    }

    @Override
    public void mapCleared(MapEvent event) {
    }

    @Override
    public void mapEvicted(MapEvent event) {
    }
  }
}
