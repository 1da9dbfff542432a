package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.switchboard.common.Addresses;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FrozenSseMemberTest keeps a ledger of acknowledged publishes while an sse-service member is frozen
 * with {@code SIGSTOP} for 15 s and then thawed, the long garbage collection case: the member stops
 * dead with its sockets open, the cluster drops it, and it wakes up with a stale copy of the
 * cluster's state and with requests it was sent before it stopped. Left to itself it would find
 * itself alone, a cluster of its own, and merge with the others again; it joins again as a new
 * member instead.
 *
 * <p>With one data member on each side of a split, Hazelcast keeps the side whose master's address
 * sorts first and merges the other into it. Each test freezes the member that holds the primary
 * copy of the topic's history, on one side of that order: the member a merge would keep, and the
 * member a merge would fold into the others. The publisher retries 503 and 504 with the same
 * {@code Idempotency-Key}; a probe reads the topic's history all the while.
 */
class FrozenSseMemberTest {

  private static final Logger LOG = LoggerFactory.getLogger(FrozenSseMemberTest.class);
  private static final Duration START = Duration.ofSeconds(180);
  private static final int PER_SECOND = 50;
  private static final Duration FREEZE_AFTER = Duration.ofSeconds(4);
  private static final Duration FROZEN_FOR = Duration.ofSeconds(15);
  /** Publishing goes on this long after the thaw, while the member merges back. */
  private static final Duration AFTER_THAW = Duration.ofSeconds(5);
  /**
   * The longest a publish may wait once the frozen member no longer holds it up: once the cluster
   * has dropped it (CLUSTER_MAX_NO_HEARTBEAT_SECONDS is 5, so 5 to 7 s after the freeze on a quiet
   * host, later on a busy one, whose stalls reset Hazelcast's heartbeat clocks) or once it thawed,
   * whichever comes first. A request that went to it timed out (SSE_REQUEST_TIMEOUT_MS is 3 s) and
   * is sent again after the client's backoff, up to a second; a busy host's delays come on top.
   */
  private static final Duration MAX_WAIT_AFTER_RELEASE = Duration.ofSeconds(7);
  private static final Pattern SELF = Pattern.compile("Member \\[[\\d.]+\\]:(\\d+) - \\S+ this");
  private static final Pattern STARTED = Pattern.compile("Started \\S+ on node (\\S+)");

  /** The cluster's name and Hazelcast ports, of its own on a shared host; the observer's too. */
  private final TestCluster cluster = new TestCluster();
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final ScheduledExecutorService signals = Executors.newSingleThreadScheduledExecutor();
  private Vertx clients;
  private ClusterNode observer;
  private ServiceProcess sseA;
  private ServiceProcess sseB;
  private final Map<ServiceProcess, String> nodeIds = new HashMap<>();
  private String gatewayNode;
  private int port;

  @BeforeEach
  void startCluster(TestInfo test) {
    clients = Vertx.vertx();
    // Each test's processes log under names of their own, so that a later test keeps an earlier one's logs.
    String prefix = test.getTestMethod()
        .map(method -> method.getName().endsWith("Keep") ? "frozen-keep-" : "frozen-fold-").orElse("frozen-");
    sseA = launch(prefix + "sse-a", "sse-service");
    sseB = launch(prefix + "sse-b", "sse-service");
    ServiceProcess gateway = launch(prefix + "gateway", "gateway-service");
    nodeIds.put(sseA, sseA.awaitStarted(START));
    nodeIds.put(sseB, sseB.awaitStarted(START));
    gatewayNode = gateway.awaitStarted(START);
    port = gateway.awaitHttpPort(START);
    // A lite member in the test's own JVM sees the partition table and the bus's registrations.
    observer = cluster.startLiteNode();
    // Every member in one cluster, and every partition backed up, before anything is frozen.
    Poll.until(() -> observer.hazelcast().getCluster().getMembers().size() == 4
        && observer.hazelcast().getPartitionService().isClusterSafe(), START, "one safe cluster of 4");
  }

  @AfterEach
  void stopCluster() {
    signals.shutdownNow();
    processes.forEach(ServiceProcess::close);
    cluster.close();
    TestCluster.await(clients.close());
  }

  private ServiceProcess launch(String name, String module) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", cluster.name());
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(cluster.config().port()));
    env.put("CLUSTER_MEMBERS", String.join(",", cluster.config().members()));
    env.put("HTTP_PORT", "0");
    env.put("SSE_HISTORY_SIZE", "5000");
    env.put("SSE_HISTORY_MAX_BYTES_PER_TOPIC", "2097152");
    env.put("SSE_REQUEST_TIMEOUT_MS", "3000");
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar(module, module), env);
    processes.add(process);
    return process;
  }

  @Test
  void everyAcknowledgedEventIsStoredAndDeliveredOnceAcrossAFreezeOfTheMemberAMergeWouldKeep()
      throws Exception {
    ledgerAcrossAFreezeOf(mergeOrder().get(0));
  }

  @Test
  void everyAcknowledgedEventIsStoredAndDeliveredOnceAcrossAFreezeOfTheMemberAMergeWouldFoldIn()
      throws Exception {
    ledgerAcrossAFreezeOf(mergeOrder().get(1));
  }

  private void ledgerAcrossAFreezeOf(ServiceProcess victim) throws Exception {
    int victimPort = hazelcastPort(victim);
    String topic = topicOwnedBy(victimPort);
    LOG.info("Freezing {} at port {}, which owns topic {}", victim, victimPort, topic);
    RetryingPublisher publisher = new RetryingPublisher(port, topic);
    AtomicLong droppedAt = new AtomicLong();
    AtomicLong thawedAtNanos = new AtomicLong();
    observer.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        if (event.getMember().getAddress().getPort() == victimPort) {
          droppedAt.compareAndSet(0, System.nanoTime());
        }
      }
    });
    try (ResumingSubscriber live = new ResumingSubscriber(clients, List.of(port), "/sse/" + topic,
             event -> event.data().contains("\"sentinel\""));
         HistoryProbe probe = new HistoryProbe(port, topic, Duration.ofMillis(200))) {
      live.awaitOpen(START);
      String firstId = publisher.publishNext();
      long thawedAt = probe.nowMs() + FREEZE_AFTER.plus(FROZEN_FOR).toMillis();
      signals.schedule(() -> signal(victim, true), FREEZE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
      signals.schedule(() -> {
        signal(victim, false);
        thawedAtNanos.set(System.nanoTime());
      }, FREEZE_AFTER.plus(FROZEN_FOR).toMillis(), TimeUnit.MILLISECONDS);
      publisher.publishFor(FREEZE_AFTER.plus(FROZEN_FOR).plus(AFTER_THAW), PER_SECOND);
      Poll.until(() -> observer.hazelcast().getCluster().getMembers().size() == 4,
          Duration.ofSeconds(90), "the thawed member back in the cluster");
      List<String> starts = startedNodes(victim);
      nodeIds.put(victim, starts.get(starts.size() - 1));
      LOG.info("The thawed member is back in the cluster {} ms after the thaw", probe.nowMs() - thawedAt);
      // Publishes and reads once the member is back, when requests reach it again.
      publisher.publishFor(Duration.ofSeconds(5), PER_SECOND);
      String sentinel = publisher.publishSentinel();
      report(publisher, probe, thawedAt);

      LedgerCheck.delivered(publisher.acked(), live.awaitLast(Duration.ofSeconds(60)), "live subscriber");
      LedgerCheck.stored(publisher.acked(), port, topic);
      resumesFrom(firstId, publisher.acked(), topic, sentinel);
      probe.close();
      assertEquals(List.of(), probe.failedSince(thawedAt), "history reads after the thaw");
      assertTrue(probe.reads().stream().noneMatch(read -> read.status() == 503),
          "a history read found no sse-service instance: " + probe.reads());
      noPublishWaitedLongAfterRelease(publisher, droppedAt.get(), thawedAtNanos.get());
      everyMemberIsRegisteredOnTheBus();
      oneInstanceTicks();
    }
  }

  /**
   * Every publish was acknowledged within {@link #MAX_WAIT_AFTER_RELEASE} of the moment the frozen
   * member stopped holding it up: the cluster dropped the member, or the member thawed.
   */
  private static void noPublishWaitedLongAfterRelease(RetryingPublisher publisher, long droppedAt,
      long thawedAt) {
    long released = droppedAt == 0 ? thawedAt : Math.min(droppedAt, thawedAt);
    LOG.info("The frozen member was {}", droppedAt == 0 ? "not dropped before the thaw"
        : "dropped " + (thawedAt - droppedAt) / 1_000_000 + " ms before the thaw");
    for (RetryingPublisher.Wait wait : publisher.waits()) {
      long heldFrom = Math.max(wait.firstAttemptNanos(), released);
      long afterRelease = wait.acknowledgedNanos() - heldFrom;
      assertTrue(afterRelease <= MAX_WAIT_AFTER_RELEASE.toNanos(), "publish " + wait.number()
          + " was acknowledged " + afterRelease / 1_000_000 + " ms after "
          + (wait.firstAttemptNanos() >= released ? "its first attempt"
              : droppedAt == 0 || droppedAt > thawedAt ? "the thaw" : "the frozen member was dropped")
          + ", " + (wait.acknowledgedNanos() - wait.firstAttemptNanos()) / 1_000_000
          + " ms after its first attempt; failures: " + publisher.failures());
    }
  }

  /** One sse-service instance ticks once the cluster is whole again, not one per former side. */
  private void oneInstanceTicks() {
    try (SseClient ticks = SseClient.connect(clients, port, "/sse")) {
      List<SseClient.Event> four = ticks.next(4, Duration.ofSeconds(20));
      Set<String> tickers = four.stream().map(tick -> tick.json().getString("node"))
          .collect(Collectors.toSet());
      assertEquals(1, tickers.size(), "ticks after the merge: " + four);
    }
  }

  private static void report(RetryingPublisher publisher, HistoryProbe probe, long thawedAt) {
    LOG.info("{} publishes acknowledged after {} retries; the slowest, number {}, took {} ms",
        publisher.acked().size(), publisher.retries(), publisher.slowestNumber(),
        publisher.slowest().toMillis());
    publisher.failures().forEach(failure -> LOG.info("failed: {}", failure));
    probe.reads().stream().filter(read -> read.status() != 200 || read.tookMs() > 1000)
        .forEach(read -> LOG.info("history {} (thaw at {} ms)", read, thawedAt));
    Map<String, Long> epochs = new TreeMap<>();
    publisher.acked().values()
        .forEach(id -> epochs.merge(id.substring(0, id.lastIndexOf('-')), 1L, Long::sum));
    LOG.info("Acknowledged ids by epoch: {}", epochs);
  }

  /**
   * Both sse-service members take publishes and history reads again, and the gateway receives
   * stored events: no member's registrations were lost to the other's stale view.
   */
  private void everyMemberIsRegisteredOnTheBus() {
    Set<String> services = Set.of(nodeIds.get(sseA), nodeIds.get(sseB));
    Poll.until(() -> registered(Addresses.SSE_PUBLISH).containsAll(services)
            && registered(Addresses.SSE_HISTORY).containsAll(services)
            && registered(Addresses.SSE_EVENTS).contains(gatewayNode),
        Duration.ofSeconds(20), "every member registered: publish " + registered(Addresses.SSE_PUBLISH)
            + ", history " + registered(Addresses.SSE_HISTORY) + ", events "
            + registered(Addresses.SSE_EVENTS) + "; expected " + services + " and " + gatewayNode);
  }

  private Set<String> registered(String address) {
    return observer.hazelcast().<String, HazelcastRegistrationInfo>getMultiMap("__vertx.subs")
        .get(address).stream().map(info -> info.unwrap().nodeId()).collect(Collectors.toSet());
  }

  /** A subscriber resuming after the first event gets every later one once, then the sentinel. */
  private void resumesFrom(String firstId, Map<String, String> acked, String topic, String sentinel) {
    Map<String, String> rest = new LinkedHashMap<>(acked);
    rest.values().remove(firstId);
    try (SseClient client = SseClient.connect(clients, port, "/sse/" + topic, firstId)) {
      assertEquals(200, client.status());
      List<SseClient.Event> events = new ArrayList<>();
      SseClient.Event event;
      do {
        event = client.next(Duration.ofSeconds(30));
        events.add(event);
      } while (!event.id().equals(sentinel));
      LedgerCheck.delivered(rest, events, "subscriber resuming after " + firstId);
    }
  }

  private static void signal(ServiceProcess process, boolean freeze) {
    LOG.info("kill -{} {}", freeze ? "STOP" : "CONT", process);
    if (freeze) {
      process.freeze();
    } else {
      process.thaw();
    }
  }

  /** The node id of every start of the service in {@code process}'s log, the first first. */
  private static List<String> startedNodes(ServiceProcess process) {
    List<String> nodes = new ArrayList<>();
    Matcher started = STARTED.matcher(process.output());
    while (started.find()) {
      nodes.add(started.group(1));
    }
    return nodes;
  }

  /**
   * The two sse-service members in the order Hazelcast ranks their sides when each side of a split
   * has one data member: the side whose master's address sorts first is kept, the other merges in.
   */
  private List<ServiceProcess> mergeOrder() {
    String a = "[127.0.0.1]:" + hazelcastPort(sseA);
    String b = "[127.0.0.1]:" + hazelcastPort(sseB);
    return a.compareTo(b) < 0 ? List.of(sseA, sseB) : List.of(sseB, sseA);
  }

  private static int hazelcastPort(ServiceProcess process) {
    Matcher self = SELF.matcher(process.output());
    if (!self.find()) {
      throw new AssertionError("No member line in the log of " + process);
    }
    return Integer.parseInt(self.group(1));
  }

  /** A topic whose history's primary copy lives on the member at {@code hazelcastPort}. */
  private String topicOwnedBy(int hazelcastPort) {
    for (int i = 0; i < 10_000; i++) {
      String topic = "frozen-" + UUID.randomUUID().toString().substring(0, 8);
      Member owner = observer.hazelcast().getPartitionService().getPartition(topic).getOwner();
      if (owner != null && owner.getAddress().getPort() == hazelcastPort) {
        return topic;
      }
    }
    throw new AssertionError("No topic maps to a partition of the member at port " + hazelcastPort);
  }
}
