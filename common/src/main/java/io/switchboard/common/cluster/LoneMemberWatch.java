package io.switchboard.common.cluster;

import com.hazelcast.cluster.Member;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LoneMemberWatch notices a data member that the rest of the cluster dropped while it kept
 * running: every other member went silent at once (a few seconds without heartbeats on a
 * starved host, or a partition that has healed since), and the member is left alone in a
 * cluster of its own, below {@code CLUSTER_MIN_DATA_MEMBERS}.
 *
 * <p>Hazelcast would merge it back into the others in the end, but a lone member's merge can
 * wait minutes while the others move partitions, and a member below the minimum serves no write
 * meanwhile. Below the minimum it stored nothing (every write was refused), so nothing is lost
 * if it leaves; once it has been alone for {@link #ALONE_FOR} and another member answers on a
 * seed address, {@code onAlone} gets it a new member, which joins the others in seconds. With a
 * minimum of 1 a data member is not watched: a lone member may then hold writes that only a merge
 * keeps.
 *
 * <p>A lite member (a gateway, an echo service) is watched whatever the minimum: when a claim to
 * lead the cluster leaves it out with no data member, or with other lite members only, it serves
 * nothing, and holds no cluster state to lose. Once it has had no data member for
 * {@link #ALONE_FOR} while a member outside its cluster answers on a seed address, it gets a new
 * member too.
 */
public final class LoneMemberWatch {

  private static final Logger LOG = LoggerFactory.getLogger(LoneMemberWatch.class);
  /** Three merge searches: long enough for Hazelcast's own merge of a member that can merge. */
  public static final Duration ALONE_FOR = Duration.ofSeconds(3L * ClusterBootstrap.MERGE_CHECK_SECONDS);
  static final long CHECK_MS = 1000;
  private static final int CONNECT_TIMEOUT_MS = 500;

  private final SeedResolver seeds;
  private final boolean lite;
  private final Supplier<ClusterNode> current;
  private final Consumer<Duration> onAlone;
  private ClusterNode watched;
  private boolean sawOthers;
  private long aloneSince;

  private LoneMemberWatch(ClusterConfig cluster, Supplier<ClusterNode> current, Consumer<Duration> onAlone) {
    this.seeds = new SeedResolver(cluster.members(), cluster.port(), ClusterBootstrap.SEED_PORT_TRY_COUNT);
    this.lite = cluster.liteMember();
    this.current = current;
    this.onAlone = onAlone;
  }

  /**
   * Watches the member {@code current} supplies, on a daemon thread of its own, and calls
   * {@code onAlone} with how long it was alone; nothing when {@code cluster}'s minimum is 1.
   */
  public static void start(ClusterConfig cluster, Supplier<ClusterNode> current, Consumer<Duration> onAlone) {
    if (!cluster.liteMember() && cluster.minDataMembers() <= 1) {
      return;
    }
    LoneMemberWatch watch = new LoneMemberWatch(cluster, current, onAlone);
    Thread thread = new Thread(watch::run, "switchboard-lone-member-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (true) {
      try {
        Thread.sleep(CHECK_MS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        check(System.nanoTime());
      } catch (RuntimeException e) {
        // A member that is stopping or being replaced; the next check looks at its successor.
        LOG.debug("Could not check whether this member is alone: {}", e.toString());
      }
    }
  }

  private void check(long now) {
    ClusterNode node = current.get();
    if (node != watched) {
      watched = node;
      sawOthers = false;
      aloneSince = 0;
    }
    if (node == null || !node.hazelcast().getLifecycleService().isRunning()) {
      return;
    }
    Set<Member> members = node.hazelcast().getCluster().getMembers();
    if (!stranded(members)) {
      sawOthers = true;
      aloneSince = 0;
      return;
    }
    if (!sawOthers) {
      return;
    }
    if (aloneSince == 0) {
      aloneSince = now;
    }
    Duration alone = Duration.ofNanos(now - aloneSince);
    if (alone.compareTo(ALONE_FOR) >= 0 && anotherMemberAnswers(node)) {
      aloneSince = 0;
      onAlone.accept(alone);
    }
  }

  /**
   * A data member alone in its cluster, or a lite member whose cluster has no data member: the
   * state in which the others have dropped it.
   */
  private boolean stranded(Set<Member> members) {
    return lite ? members.stream().allMatch(Member::isLiteMember) : members.size() <= 1;
  }

  /** Whether a seed address of no member of this member's cluster accepts a connection. */
  private boolean anotherMemberAnswers(ClusterNode node) {
    Set<String> ours = node.hazelcast().getCluster().getMembers().stream()
        .map(member -> member.getAddress().getHost() + ":" + member.getAddress().getPort())
        .collect(Collectors.toSet());
    for (InetSocketAddress candidate : seeds.candidates()) {
      if (ours.contains(candidate.getAddress().getHostAddress() + ":" + candidate.getPort())) {
        continue;
      }
      if (SeedResolver.listens(candidate, CONNECT_TIMEOUT_MS)) {
        return true;
      }
    }
    return false;
  }
}
