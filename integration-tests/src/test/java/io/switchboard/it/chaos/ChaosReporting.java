package io.switchboard.it.chaos;

import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.it.RetryingPublisher;
import io.switchboard.it.chaos.ChaosCluster.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ChaosReporting judges a chaos run's invariants from its ledger and writes the report: the run,
 * the faults injected, the operations counted, and each invariant with its figures.
 */
final class ChaosReporting {

  static final Duration EVICTION_BOUND = Duration.ofSeconds(10);
  static final Duration WHOLE_BOUND = Duration.ofSeconds(60);
  /** How long after a partition heals a room may be seen over capacity while the sides merge. */
  static final Duration MERGE_WINDOW = Duration.ofSeconds(60);
  /**
   * RSS is judged after a minute of a process's life (class loading, JIT compilation and the
   * cluster's first partition migrations), over at least two minutes of samples; the median of the
   * last quarter may exceed the median of the first quarter by at most this fraction.
   */
  static final long RSS_WARM_UP_SECONDS = 60;
  static final int RSS_MIN_SAMPLES = 24;
  static final double RSS_MAX_GROWTH = 0.20;

  /** What the run was: when it began, how long it took, the minutes asked for, the rounds of faults. */
  record Run(Instant began, Duration took, double minutes, int rounds, long seed, String aborted) {
  }

  private final ChaosCluster cluster;
  private final RssSampler rss;
  private final Tally tally;
  private final List<String> incidents;
  private final Faults faults;
  private final int roomCapacity;
  private final ChaosReport report = new ChaosReport();

  ChaosReporting(ChaosCluster cluster, RssSampler rss, Tally tally, List<String> incidents, Faults faults,
      int roomCapacity) {
    this.cluster = cluster;
    this.rss = rss;
    this.tally = tally;
    this.incidents = incidents;
    this.faults = faults;
    this.roomCapacity = roomCapacity;
  }

  List<String> failed() {
    return report.failed().stream().map(ChaosReport.Invariant::statement).toList();
  }

  /**
   * What a failed run's assertion says besides the invariants: their figures, the faults with their
   * times, and the first incidents, so that a log that keeps only the failure still shows the cause.
   */
  String failureSummary(long seed) {
    StringBuilder text = new StringBuilder("seed ").append(seed);
    report.failed().forEach(invariant -> text.append("\n  figures: ").append(invariant.figures()));
    faults.injected().forEach(fault -> text.append("\n  fault at ").append(fault.atSecond()).append(" s: ")
        .append(fault.fault()).append(" of ").append(fault.target()));
    incidents.stream().limit(12).forEach(incident -> text.append("\n  incident: ").append(incident));
    return text.toString();
  }

  String render(Run run, SignalingPairs pairs, Map<String, RetryingPublisher> publishers,
      Map<String, List<SseLedger.Verdict>> verdicts, List<String> publisherFailures, int largestRoom) {
    faultsSection();
    operations(publishers, verdicts);
    List<RssSampler.Verdict> memory = rss.judge(RSS_WARM_UP_SECONDS, RSS_MIN_SAMPLES, RSS_MAX_GROWTH);
    memorySection(memory);
    if (!incidents.isEmpty()) {
      report.heading("Incidents");
      incidents.stream().limit(50).forEach(incident -> report.line("- " + incident));
    }
    sseInvariants(verdicts, publisherFailures);
    signalingInvariants(pairs, largestRoom);
    clusterInvariants(run);
    upgradeInvariants();
    long flat = memory.stream().filter(RssSampler.Verdict::flat).count();
    report.invariant("RSS of each member flat over the run: the median of the last quarter of its "
        + "samples at most " + Math.round(RSS_MAX_GROWTH * 100) + " % above the first quarter's, after "
        + RSS_WARM_UP_SECONDS + " s of warm-up",
        flat + " of " + memory.size() + " processes long-lived enough to judge stayed flat (largest growth "
            + String.format("%+.1f %%", memory.stream().mapToDouble(RssSampler.Verdict::growth).max()
            .orElse(0) * 100) + "); " + (rss.tracked() - memory.size()) + " lived too briefly",
        !memory.isEmpty() && flat == memory.size());
    return report.render("Chaos suite report", preamble(run));
  }

  private String preamble(Run run) {
    String form = run.minutes() > 0 ? "long form, asked for " + run.minutes() + " minutes" : "short form";
    StringBuilder text = new StringBuilder();
    text.append("- Run: ").append(form).append("; began ").append(run.began()).append(", took ")
        .append(run.took().toSeconds() / 60).append(" min ").append(run.took().toSeconds() % 60)
        .append(" s in all (start-up, ").append(run.rounds()).append(" round(s) of faults, checks); seed ")
        .append(run.seed()).append(".\n");
    text.append("- Host: ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, shared with other builds while it ran.\n");
    text.append("- Cluster: packaged jars as processes, one network namespace each: ").append(count(Kind.GATEWAY))
        .append(" gateways, ").append(count(Kind.SSE)).append(" sse-service, ").append(count(Kind.SIGNALING))
        .append(" signaling-service, ").append(count(Kind.ECHO)).append(" echo-service; `CLUSTER_MIN_DATA_MEMBERS=")
        .append(cluster.minDataMembers()).append("`, `SIGNALING_ROOM_CAPACITY=").append(roomCapacity)
        .append("`; every JVM `").append(String.join(" ", ChaosCluster.JVM_OPTIONS)).append("`; started on ")
        .append(cluster.startedOn()).append(", on ").append(cluster.release()).append(" at the end.\n");
    text.append("- Load: publishers over HTTP with an `Idempotency-Key` each, retried on 503, 504 and "
        + "lost connections on the next gateway, and over `/ws/topics` with a `ref` each, retried on the "
        + "errors `no-quorum`, `service-unavailable`, `timeout` and `rate-limited` and, after a lost "
        + "connection, on a new one to the next gateway; SSE subscribers resuming by `Last-Event-ID` on the next "
        + "gateway; signaling pairs relaying numbered `sdp` frames across gateways, rejoining as the SDK "
        + "does, and a third peer trying to join each full room.\n");
    text.append("- Network: each process in a network namespace of its own, joined through the test's; "
        + "a partition drops every packet between one member's namespace and the others' (iptables), "
        + "silence as from a dead switch. The test reaches the gateways through ports relayed to "
        + "loopback.\n");
    if (run.aborted() != null) {
      text.append("- **The run stopped early**: ").append(run.aborted()).append('\n');
    }
    return text.toString();
  }

  private long count(Kind kind) {
    return cluster.of(kind).size();
  }

  private void faultsSection() {
    report.heading("Faults injected");
    List<List<String>> rows = new ArrayList<>();
    for (Faults.Injected fault : faults.injected()) {
      rows.add(List.of(fault.atSecond() + " s", fault.fault(), fault.target(), fault.detail(),
          fault.recoveryMs() + " ms"));
    }
    report.table(List.of("at", "fault", "target", "detail", "whole again after"), rows);
  }

  private void operations(Map<String, RetryingPublisher> publishers,
      Map<String, List<SseLedger.Verdict>> verdicts) {
    report.heading("Operations");
    List<List<String>> rows = new ArrayList<>();
    Map<String, Long> failureKinds = new TreeMap<>();
    publishers.forEach((topic, publisher) -> {
      rows.add(List.of(topic, publisher.transport(), String.valueOf(publisher.acked().size()),
          String.valueOf(publisher.retries()), publisher.slowest().toMillis() + " ms"));
      publisher.failures().forEach(failure -> failureKinds.merge(kindOf(failure), 1L, Long::sum));
    });
    report.table(List.of("topic", "published over", "publishes acknowledged (202 or `published`)",
        "retries", "slowest acknowledgement"), rows);
    report.line("Failed publish attempts, each retried with the same key: " + failureKinds + "\n");
    publishers.forEach((topic, publisher) -> {
      if (!publisher.slowestFailures().isEmpty()) {
        report.line("The slowest acknowledgement of " + topic + " came after these failed attempts: "
            + String.join("; ", publisher.slowestFailures()) + "\n");
      }
    });
    List<List<String>> subscribers = new ArrayList<>();
    verdicts.values().forEach(list -> list.forEach(verdict -> subscribers.add(List.of(verdict.who(),
        String.valueOf(verdict.acknowledged()), String.valueOf(verdict.delivered()),
        String.valueOf(verdict.duplicates()), String.valueOf(verdict.outOfOrder()),
        String.valueOf(verdict.wrongId()), String.valueOf(verdict.historyLost()),
        verdict.missingAfterHistoryLost() + " / " + verdict.missingUnexplained(),
        String.valueOf(verdict.unacknowledged())))));
    report.table(List.of("subscriber", "acknowledged", "delivered", "duplicates", "out of order",
        "wrong id", "history-lost", "missing after history-lost / unexplained", "stored, never acknowledged"),
        subscribers);
    report.counts(tally.snapshot());
  }

  /** A failed attempt's kind: its status and error code, or the exception. */
  private static String kindOf(String failure) {
    String last = failure.substring(failure.indexOf(": ") + 2);
    if (last.startsWith("5")) {
      int code = last.indexOf("\"code\":\"");
      return last.substring(0, 3) + (code < 0 ? "" : " " + last.substring(code + 8, last.indexOf('"', code + 8)));
    }
    return last.contains(":") ? last.substring(0, last.indexOf(':')) : last;
  }

  private void memorySection(List<RssSampler.Verdict> memory) {
    report.heading("Resident memory (VmRSS)");
    report.line("Sampled every " + rss.intervalMs() / 1000 + " s. The heap is fixed and pre-touched, so "
        + "it is resident from the start and cannot grow; what could still grow is native memory "
        + "(threads, direct buffers, metaspace, code cache). JIT compilation and class loading go on for "
        + "minutes after start-up and add tens of MiB, hence the warm-up and a bound of "
        + Math.round(RSS_MAX_GROWTH * 100) + " %: a leak of the kind that matters grows without end and "
        + "passes any fixed fraction given time, which the 30-minute form gives it.\n");
    List<List<String>> rows = new ArrayList<>();
    for (RssSampler.Verdict verdict : memory) {
      rows.add(List.of(verdict.name(), String.valueOf(verdict.samples()), verdict.firstMib() + " MiB",
          verdict.lastMib() + " MiB", verdict.maxMib() + " MiB", String.format("%+.1f %%", verdict.growth() * 100),
          verdict.flat() ? "flat" : "**grew**"));
    }
    report.table(List.of("process", "samples after warm-up", "first quarter", "last quarter", "largest",
        "growth", "result"), rows);
  }

  private void sseInvariants(Map<String, List<SseLedger.Verdict>> verdicts, List<String> publisherFailures) {
    List<SseLedger.Verdict> all = verdicts.values().stream().flatMap(List::stream).toList();
    long delivered = all.stream().mapToLong(SseLedger.Verdict::delivered).sum();
    long explained = all.stream().mapToLong(SseLedger.Verdict::missingAfterHistoryLost).sum();
    long unexplained = all.stream().mapToLong(SseLedger.Verdict::missingUnexplained).sum();
    long disorder = all.stream().mapToLong(v -> v.outOfOrder() + v.wrongId()).sum();
    List<String> examples = all.stream().flatMap(v -> v.examples().stream().limit(3).map(e -> v.who() + ": " + e))
        .limit(10).toList();
    report.invariant("Every acknowledged event (`202` over HTTP, `published` over WebSocket) is delivered exactly once, in order and under its "
        + "acknowledged id, to every subscriber, or that subscriber got `history-lost` for the gap",
        all.size() + " subscribers, " + delivered + " deliveries checked; missing after history-lost "
            + explained + ", missing unexplained " + unexplained + ", out of order or under another id "
            + disorder + (examples.isEmpty() ? "" : "; " + String.join("; ", examples)),
        !all.isEmpty() && delivered > 0 && all.stream().allMatch(SseLedger.Verdict::holds));
    long sseTwice = all.stream().mapToLong(SseLedger.Verdict::duplicates).sum();
    long relaysTwice = tally.get("relays received twice");
    report.invariant("No duplicate, ever: no SSE event delivered twice to a subscriber, no relay "
        + "received twice", sseTwice + " SSE duplicates, " + relaysTwice + " relay duplicates",
        sseTwice == 0 && relaysTwice == 0);
    report.invariant("Every publish is acknowledged in the end (the client retries a 503, a 504, a "
        + "retryable error frame or a lost connection with the same key for up to 60 s)",
        publisherFailures.isEmpty() ? "every publisher ran to the end" : String.join("; ", publisherFailures),
        publisherFailures.isEmpty());
  }

  private void signalingInvariants(SignalingPairs pairs, int largestRoom) {
    long listingsOver = tally.get("room listings over capacity");
    long viewsOver = tally.get("room views over capacity");
    List<SignalingPairs.Excess> excesses = pairs.excesses();
    long outsideMerges = excesses.stream().filter(excess -> !(duringMerge(excess)
        || (excess.view() && faults.duringUpgrade(excess.atNanos())))
        || !pairs.listedWithinAfter(excess.room(), excess.atNanos())).count();
    report.invariant("Room capacity (" + roomCapacity + ") never exceeded, in a room's listing or in what "
        + "`joined` and `peer-joined` tell a member; except transiently within " + MERGE_WINDOW.toSeconds()
        + " s of a partition's heal or of the thaw of a frozen member the cluster had dropped, when the parts "
        + "merge, or in a member's view while the rolling upgrade "
        + "from the previous release runs (that release writes presence events as they arrive), and "
        + "corrected by a later listing within capacity",
        tally.get("room listings") + " listings, largest " + largestRoom + " peers; " + listingsOver
            + " listings and " + viewsOver + " member views over capacity, " + outsideMerges
            + " of them outside a merge or the upgrade, or not corrected; third peers: "
            + tally.get("crowding joins room-full") + " refused room-full, " + tally.get("crowding joins joined")
            + " admitted",
        outsideMerges == 0 && tally.get("room listings") > 0);
    long disorder = tally.get("relays out of order");
    report.invariant("Relays from one peer to another arrive in the order sent",
        tally.get("relays delivered") + " relays delivered, " + disorder + " out of order",
        disorder == 0 && tally.get("relays delivered") > 0);
    List<Faults.Eviction> evictions = faults.evictions();
    List<String> figures = evictions.stream().map(e -> e.gateway() + ": " + e.peers() + " peers, "
        + (e.evictedMs() < 0 ? "not within 60 s" : e.evictedMs() + " ms")).toList();
    boolean checked = evictions.stream().anyMatch(e -> e.peers() > 0);
    report.invariant("Peers of a killed gateway are evicted from their rooms within "
        + EVICTION_BOUND.toSeconds() + " s (polled from another gateway from the kill on)",
        figures.isEmpty() ? "no gateway killed" : String.join("; ", figures),
        checked && evictions.stream().allMatch(e -> e.evictedMs() >= 0
            && e.evictedMs() <= EVICTION_BOUND.toMillis()));
  }

  private boolean duringMerge(SignalingPairs.Excess excess) {
    return faults.heals().stream().anyMatch(healed -> excess.atNanos() >= healed
        && excess.atNanos() <= healed + MERGE_WINDOW.toNanos());
  }

  private void upgradeInvariants() {
    List<Faults.Upgrade> upgrades = faults.upgrades();
    List<String> figures = upgrades.stream().map(u -> "to " + u.release() + ": " + u.protocols().size()
        + " nodes listed, protocols " + new TreeMap<>(u.protocols().stream().collect(
            java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting())))
        + (u.allCurrentMs() < 0 ? ", not all at " + BusProtocol.VERSION + " within "
            + Faults.PROTOCOL_WAIT.toSeconds() + " s" : ", all at " + BusProtocol.VERSION + " after "
            + u.allCurrentMs() + " ms")).toList();
    report.invariant("After a rolling upgrade, the cluster view lists every member's node at this "
        + "build's bus protocol (" + BusProtocol.VERSION + ")",
        figures.isEmpty() ? "no upgrade" : String.join("; ", figures),
        !upgrades.isEmpty() && upgrades.stream().allMatch(u -> u.allCurrentMs() >= 0));
    List<String> misreads = cluster.misreads();
    report.invariant("No member of either release misread what another sent it: no process's log "
        + "holds `HazelcastSerializationException` or `Refusing a message`",
        cluster.launchedCount() + " process logs read" + (misreads.isEmpty() ? ", none holds either"
            : ": " + String.join("; ", misreads.stream().limit(10).toList())),
        misreads.isEmpty());
  }

  private void clusterInvariants(Run run) {
    List<Faults.Injected> injected = faults.injected();
    long worst = injected.stream().mapToLong(Faults.Injected::recoveryMs).max().orElse(-1);
    long last = injected.isEmpty() ? -1 : injected.get(injected.size() - 1).recoveryMs();
    report.invariant("After each fault, and after the faults stop, one cluster with every member "
        + "within " + WHOLE_BOUND.toSeconds() + " s: every gateway's `/ready` is 200 and counts all "
        + cluster.members().size() + " members",
        injected.size() + " faults; slowest recovery " + worst + " ms; after the last fault " + last + " ms",
        !injected.isEmpty() && worst <= WHOLE_BOUND.toMillis() && worst >= 0);
    report.invariant("The run completed every round of faults",
        run.aborted() == null ? run.rounds() + " round(s)" : "stopped early: " + run.aborted(),
        run.aborted() == null);
  }
}
