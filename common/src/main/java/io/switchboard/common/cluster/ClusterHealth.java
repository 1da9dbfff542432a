package io.switchboard.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * ClusterHealth tells whether this member's view of the cluster can be trusted: how long its
 * membership has been unchanged, how many data members it has, and which members its seed names
 * point at that are not in its cluster.
 *
 * <p>The last is how a split shows. Every side of a split has members of every service, so probes
 * of the services cannot see it; but the seed names of a deployment (its service names) resolve to
 * every member of it. An address they give where a member listens, yet which is not a member of
 * this cluster, belongs to another cluster: this member is on one side of a split (or that member
 * is still joining). Only names are checked, every {@link #CHECK_INTERVAL_MS}, on a thread of its
 * own, since probing blocks.
 */
public final class ClusterHealth {

  static final long CHECK_INTERVAL_MS = 2_000;
  private static final int PROBE_TIMEOUT_MS = 300;

  private final HazelcastInstance hazelcast;
  private final SeedResolver seeds;
  private final ScheduledExecutorService checker;
  private volatile long changedAt = System.nanoTime();
  private volatile Set<String> unmerged = Set.of();

  private ClusterHealth(HazelcastInstance hazelcast, ClusterConfig config) {
    this.hazelcast = hazelcast;
    this.seeds = new SeedResolver(config.members(), config.port(), ClusterBootstrap.SEED_PORT_TRY_COUNT);
    this.checker = seeds.hasNames() ? Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "switchboard-cluster-health");
      thread.setDaemon(true);
      return thread;
    }) : null;
  }

  /** Starts watching the membership of a node; the watch ends with its Hazelcast member. */
  public static ClusterHealth watch(ClusterNode node) {
    ClusterHealth health = new ClusterHealth(node.hazelcast(), node.config());
    health.start();
    return health;
  }

  private void start() {
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        changedAt = System.nanoTime();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        changedAt = System.nanoTime();
      }
    });
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      // A merge brings a whole new member list; so does leaving.
      changedAt = System.nanoTime();
      if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN && checker != null) {
        checker.shutdownNow();
      }
    });
    if (checker != null) {
      checker.scheduleWithFixedDelay(this::checkSeeds, 0, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Milliseconds since the member list last changed. */
  public long stableForMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedAt);
  }

  /** Members of the cluster that hold data (not lite members). */
  public int dataMembers() {
    int count = 0;
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.isLiteMember()) {
        count++;
      }
    }
    return count;
  }

  /**
   * Addresses ({@code host:port}) the seed names give where a member listens that is not in this
   * cluster, sorted; empty when the seeds are all IP addresses.
   */
  public Set<String> unmergedSeeds() {
    return unmerged;
  }

  private void checkSeeds() {
    try {
      Set<String> members = new HashSet<>();
      for (Member member : hazelcast.getCluster().getMembers()) {
        members.add(member.getAddress().getHost());
      }
      Set<String> found = new TreeSet<>();
      for (InetSocketAddress seed : seeds.namedMembers()) {
        String host = seed.getAddress().getHostAddress();
        if (!members.contains(host) && SeedResolver.listens(seed, PROBE_TIMEOUT_MS)) {
          found.add(host + ":" + seed.getPort());
        }
      }
      unmerged = Set.copyOf(found);
    } catch (RuntimeException e) {
      // The member is shutting down; the next check, if any, tries again.
    }
  }
}
