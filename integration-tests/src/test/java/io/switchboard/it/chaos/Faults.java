package io.switchboard.it.chaos;

import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.it.ServiceProcess;
import io.switchboard.it.chaos.ChaosCluster.Kind;
import io.switchboard.it.chaos.ChaosCluster.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults injects one fault at a time into a {@link ChaosCluster} and waits for the cluster to be
 * whole again, recording each: what was done to whom, and how long the recovery took.
 */
final class Faults {

  private static final Logger LOG = LoggerFactory.getLogger(Faults.class);
  static final Duration FROZEN_FOR = Duration.ofSeconds(15);
  /** How long recovery is awaited before the run gives up; the invariant's bound is lower. */
  private static final Duration RECOVERY_GIVE_UP = Duration.ofSeconds(240);
  static final Duration PROTOCOL_WAIT = Duration.ofSeconds(60);

  /**
   * One fault: seconds into the run, what, to whom, details, and the milliseconds from its end (the
   * new process launched, the thaw, the heal) until every gateway was ready and saw every member.
   */
  record Injected(long atSecond, String fault, String target, String detail, long recoveryMs) {
  }

  /**
   * What a gateway's cluster view said of the nodes' bus protocols after an upgrade: the versions
   * it listed last, and how long after the last step every node gave this build's (-1: not within
   * {@link #PROTOCOL_WAIT}).
   */
  record Upgrade(String release, List<Integer> protocols, long allCurrentMs) {
  }

  /** How long the peers of a killed gateway stayed listed in their rooms, seen from another gateway. */
  record Eviction(String gateway, int peers, long evictedMs) {
  }

  private final ChaosCluster cluster;
  private final SignalingPairs pairs;
  private final Random random;
  private final long runStarted;
  private final List<Injected> injected = new ArrayList<>();
  private final List<Eviction> evictions = new ArrayList<>();
  private final List<Upgrade> upgrades = new ArrayList<>();
  /** What Hazelcast logs on each member of a part of the cluster that merges into another. */
  private static final String MERGING = " is merging to ";
  /** When each partition healed, or a frozen member thawed and the cluster merged: the parts merge soon after. */
  private final List<Long> heals = new ArrayList<>();
  /** When each rolling upgrade began and when every member ran the new build (nanoTime), in pairs. */
  private final List<long[]> upgradeWindows = new ArrayList<>();

  Faults(ChaosCluster cluster, SignalingPairs pairs, long seed, long runStarted) {
    this.cluster = cluster;
    this.pairs = pairs;
    this.random = new Random(seed);
    this.runStarted = runStarted;
  }

  List<Injected> injected() {
    return injected;
  }

  List<Eviction> evictions() {
    return evictions;
  }

  List<Long> heals() {
    return heals;
  }

  List<Upgrade> upgrades() {
    return upgrades;
  }

  /** Whether a rolling upgrade was under way at {@code nanos}: some member ran the earlier build. */
  boolean duringUpgrade(long nanos) {
    return upgradeWindows.stream().anyMatch(window -> nanos >= window[0] && nanos <= window[1]);
  }

  /** SIGTERM to each gateway in turn, out of rotation first; each drains, and a new process takes its place. */
  void rollingRestart() {
    long at = now();
    List<String> exits = new ArrayList<>();
    long launched = 0;
    for (Member gateway : cluster.of(Kind.GATEWAY)) {
      cluster.outOfRotation(gateway);
      LOG.info("SIGTERM {}", gateway);
      exits.add(gateway.name + " exited " + gateway.process.terminate(Duration.ofSeconds(60)));
      launched = cluster.restart(gateway);
    }
    record(at, "rolling restart (SIGTERM, drain, new process)", "every gateway", String.join(", ", exits),
        launched);
  }

  /**
   * A rolling upgrade to {@code jars}, the build named {@code release}, as an operator does it: each
   * member in turn gets SIGTERM (a gateway out of rotation first, and it drains; a data member hands
   * its share of cluster state over as it leaves), a process of the new build takes its place, and
   * the cluster is awaited whole before the next. A gateway goes first, so that a new gateway serves
   * beside old services and, later, new services beside old gateways.
   */
  void rollingUpgrade(String release, Function<Kind, Path> jars) {
    long at = now();
    long began = System.nanoTime();
    String from = cluster.release();
    cluster.useRelease(release, jars);
    List<Member> gateways = cluster.of(Kind.GATEWAY);
    List<Member> order = new ArrayList<>(gateways.subList(0, 1));
    for (Kind kind : List.of(Kind.SSE, Kind.SIGNALING, Kind.ECHO)) {
      order.addAll(cluster.of(kind));
    }
    order.addAll(gateways.subList(1, gateways.size()));
    List<String> steps = new ArrayList<>();
    long launched = 0;
    for (Member member : order) {
      if (member.kind == Kind.GATEWAY) {
        cluster.outOfRotation(member);
      }
      LOG.info("Upgrade: SIGTERM {}", member);
      int exit = member.process.terminate(Duration.ofSeconds(60));
      long stepLaunched = cluster.restart(member);
      long whole = cluster.awaitWhole(RECOVERY_GIVE_UP);
      steps.add(member.name + " exited " + exit + ", whole " + whole + " ms after its new process was up");
      launched = stepLaunched;
    }
    record(at, "rolling upgrade from " + from + " to " + release + " (SIGTERM, drain, new process of the"
        + " new build, one member at a time)", "every member", String.join("; ", steps), launched);
    upgrades.add(awaitProtocol(release));
    upgradeWindows.add(new long[] {began, System.nanoTime()});
  }

  /** Polls a gateway's cluster view until every member's node gives this build's bus protocol. */
  private Upgrade awaitProtocol(String release) {
    long started = System.nanoTime();
    List<Integer> protocols = List.of();
    while (System.nanoTime() - started < PROTOCOL_WAIT.toNanos()) {
      try {
        protocols = cluster.protocols();
      } catch (RuntimeException | AssertionError unreachable) {
        LOG.info("Cluster view not read: {}", unreachable.getMessage());
      }
      if (protocols.size() == cluster.members().size()
          && protocols.stream().allMatch(version -> version == BusProtocol.VERSION)) {
        return new Upgrade(release, protocols, (System.nanoTime() - started) / 1_000_000);
      }
      ServiceProcess.pause(250);
    }
    return new Upgrade(release, protocols, -1);
  }

  /** {@code kill -9} of a random member of {@code kind}, then a new process in its place. */
  void kill(Kind kind) {
    long at = now();
    Member victim = kind == Kind.GATEWAY ? gatewayWithPeers() : pick(cluster.of(kind));
    List<SignalingPairs.Placed> peers = kind == Kind.GATEWAY ? pairs.peersOn(victim.port) : List.of();
    String target = victim.toString();
    LOG.info("kill -9 {}", target);
    long killed = System.nanoTime();
    victim.process.kill();
    String detail = "";
    if (kind == Kind.GATEWAY) {
      cluster.outOfRotation(victim);
      int other = cluster.ports().get(0);
      long evictedMs = pairs.awaitEvicted(peers, other, killed, Duration.ofSeconds(60));
      evictions.add(new Eviction(target, peers.size(), evictedMs));
      detail = peers.size() + " signaling peers on it, gone from their rooms' listings after "
          + (evictedMs < 0 ? "more than 60000" : evictedMs) + " ms";
    }
    record(at, "kill -9, then restart", target, detail, cluster.restart(victim));
  }

  /** {@code SIGSTOP} of a random member of {@code kind} for {@link #FROZEN_FOR}, then {@code SIGCONT}. */
  void freeze(Kind kind) {
    long at = now();
    Member victim = pick(cluster.of(kind));
    String target = victim.toString();
    LOG.info("SIGSTOP {}", target);
    victim.process.freeze();
    ServiceProcess.pause(FROZEN_FOR.toMillis());
    LOG.info("SIGCONT {}", target);
    Map<Member, Integer> logged = new HashMap<>();
    cluster.members().forEach(member -> logged.put(member, member.process.output().length()));
    long thawed = System.nanoTime();
    victim.process.thaw();
    record(at, "SIGSTOP for " + FROZEN_FOR.toSeconds() + " s, then SIGCONT", target, "", thawed);
    if (mergedSince(logged)) {
      // The cluster dropped the frozen member, or split around it, and the parts merged again.
      LOG.info("The cluster merged after the thaw of {}", target);
      heals.add(thawed);
    }
  }

  /** Whether a member logged Hazelcast's merge of its cluster into another since {@code logged}. */
  private static boolean mergedSince(Map<Member, Integer> logged) {
    return logged.entrySet().stream().anyMatch(entry -> {
      String output = entry.getKey().process.output();
      return output.length() > entry.getValue() && output.indexOf(MERGING, entry.getValue()) >= 0;
    });
  }

  /** Records a fault once the cluster is whole again, its recovery counted from {@code endedNanos}. */
  /** Cuts a random member of {@code kind} off from the others for {@code length}, then heals. */
  void isolate(Kind kind, Duration length) {
    long at = now();
    Member victim = pick(cluster.of(kind));
    String target = victim.toString();
    LOG.info("Partition: {} cut off", target);
    cluster.isolate(victim);
    ServiceProcess.pause(length.toMillis());
    long healed = System.nanoTime();
    LOG.info("Partition healed");
    cluster.heal();
    heals.add(healed);
    record(at, "network partition for " + length.toSeconds() + " s (iptables DROP between its namespace "
        + "and the others'), then healed", target, "alone, below CLUSTER_MIN_DATA_MEMBERS", healed);
  }

  private void record(long at, String fault, String target, String detail, long endedNanos) {
    cluster.awaitWhole(RECOVERY_GIVE_UP);
    long recovery = (System.nanoTime() - endedNanos) / 1_000_000;
    LOG.info("{} of {}: whole again after {} ms", fault, target, recovery);
    injected.add(new Injected(at, fault, target, detail, recovery));
  }

  /** The gateway with the most joined signaling peers, so that the eviction check has some. */
  private Member gatewayWithPeers() {
    List<Member> gateways = new ArrayList<>(cluster.of(Kind.GATEWAY));
    java.util.Collections.shuffle(gateways, random);
    return gateways.stream().max(Comparator.comparingInt(g -> pairs.peersOn(g.port).size())).orElseThrow();
  }

  private Member pick(List<Member> members) {
    return members.get(random.nextInt(members.size()));
  }

  private long now() {
    return (System.nanoTime() - runStarted) / 1_000_000_000L;
  }
}
