package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StaleRoutesTest proves that no event-bus request keeps going to a member that is gone for longer
 * than failure detection: two sse-service processes serve history reads, a member of the cluster
 * in the test's JVM sends one every 50 ms, taking turns between them as the bus does, and one of
 * the two is killed with {@code kill -9} or frozen with {@code SIGSTOP}.
 *
 * <p>Failure detection is Hazelcast's: a killed member's connections are reset at once and it is
 * suspected after a failed reconnect, within about 2 s; a frozen one holds its connections open
 * and is dropped after {@code CLUSTER_MAX_NO_HEARTBEAT_SECONDS} (5) of silence, checked once a
 * heartbeat (1 s). Requests sent to it before then fail; every request sent later must be
 * answered. A frozen member that wakes up joins again as a new member: it is routed to once its
 * consumers are registered, and its stale address is never used.
 */
class StaleRoutesTest {

  private static final Logger LOG = LoggerFactory.getLogger(StaleRoutesTest.class);
  private static final Duration START = Duration.ofSeconds(180);
  /** 5 s of silence, checked once a second, and a busy host's second on top. */
  private static final long DETECTION_MS = 8_000;
  private static final long PROBE_EVERY_MS = 50;
  private static final long PROBE_TIMEOUT_MS = 2_000;
  private static final Duration FROZEN_FOR = Duration.ofSeconds(15);

  private final TestCluster cluster = new TestCluster();
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Map<ServiceProcess, String> nodeIds = new HashMap<>();
  private ClusterNode observer;
  private ServiceProcess sseA;
  private ServiceProcess sseB;

  @BeforeEach
  void startCluster() {
    sseA = launch("stale-sse-a");
    sseB = launch("stale-sse-b");
    nodeIds.put(sseA, sseA.awaitStarted(START));
    nodeIds.put(sseB, sseB.awaitStarted(START));
    observer = cluster.startLiteNode();
    Poll.until(() -> observer.hazelcast().getCluster().getMembers().size() == 3
        && observer.hazelcast().getPartitionService().isClusterSafe()
        && historyConsumers().containsAll(nodeIds.values()), START,
        "one safe cluster of 3 with both sse-service instances on the bus");
  }

  @AfterEach
  void stopCluster() {
    processes.forEach(ServiceProcess::close);
    cluster.close();
  }

  private ServiceProcess launch(String name) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", cluster.name());
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(cluster.config().port()));
    env.put("CLUSTER_MEMBERS", String.join(",", cluster.config().members()));
    env.put("HTTP_PORT", "0");
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar("sse-service", "sse-service"), env);
    processes.add(process);
    return process;
  }

  @Test
  void requestsStopGoingToAKilledMemberWithinFailureDetection() {
    try (BusProbe probe = new BusProbe(observer.vertx(), "stale-routes", PROBE_EVERY_MS, PROBE_TIMEOUT_MS)) {
      awaitAnswered(probe, 0, 40);
      long killedAt = probe.nowMs();
      sseA.kill();
      awaitTime(probe, killedAt + DETECTION_MS + 5_000);

      report("kill -9", probe, killedAt);
      assertEquals(List.of(), probe.failedSince(killedAt + DETECTION_MS),
          "requests sent more than " + DETECTION_MS + " ms after the kill");
      assertTrue(probe.answeredSince(killedAt + DETECTION_MS) >= 50, "requests answered after detection");
    }
  }

  @Test
  void requestsStopGoingToAFrozenMemberWithinFailureDetectionAndReachItAgainOnceItIsBack() {
    try (BusProbe probe = new BusProbe(observer.vertx(), "stale-routes", PROBE_EVERY_MS, PROBE_TIMEOUT_MS)) {
      awaitAnswered(probe, 0, 40);
      long frozenAt = probe.nowMs();
      sseA.freeze();
      awaitTime(probe, frozenAt + FROZEN_FOR.toMillis());
      // While it is still frozen: the requests it was sent before it was dropped failed, and none since.
      assertTrue(!probe.failedSince(frozenAt).isEmpty(), "requests routed to the frozen member failed");
      assertEquals(List.of(), probe.failedSince(frozenAt + DETECTION_MS),
          "requests sent more than " + DETECTION_MS + " ms after the freeze");
      long thawedAt = probe.nowMs();
      sseA.thaw();

      // Back as a new member, with a new node id, and routed to again.
      Poll.until(() -> observer.hazelcast().getCluster().getMembers().size() == 3
          && historyConsumers().size() == 2 && !historyConsumers().contains(nodeIds.get(sseA)),
          Duration.ofSeconds(90), "the thawed member back on the bus as a new node");
      long backAt = probe.nowMs();
      awaitTime(probe, backAt + 5_000);

      report("SIGSTOP", probe, frozenAt);
      LOG.info("Thawed at {} ms, back on the bus at {} ms", thawedAt, backAt);
      assertEquals(List.of(), probe.failedSince(frozenAt + DETECTION_MS),
          "requests sent more than " + DETECTION_MS + " ms after the freeze, through the thaw and rejoin");
      assertTrue(probe.answeredSince(backAt) >= 50, "requests answered once the member is back");
      assertEquals(Set.of(nodeIds.get(sseB)), historyConsumers().stream()
          .filter(node -> nodeIds.containsValue(node)).collect(Collectors.toSet()),
          "the frozen member's old node id is gone from the bus");
    }
  }

  private static void report(String fault, BusProbe probe, long faultAt) {
    List<BusProbe.Request> failed = probe.failedSince(faultAt);
    long lastFailedSent = failed.stream().mapToLong(BusProbe.Request::sentMs).max().orElse(faultAt);
    LOG.info("{}: {} requests failed, the last sent {} ms after the fault", fault, failed.size(),
        lastFailedSent - faultAt);
    failed.forEach(request -> LOG.info("failed: {}", request));
  }

  private Set<String> historyConsumers() {
    return observer.hazelcast().<String, HazelcastRegistrationInfo>getMultiMap("__vertx.subs")
        .get(Addresses.SSE_HISTORY).stream().map(info -> info.unwrap().nodeId())
        .collect(Collectors.toSet());
  }

  private static void awaitAnswered(BusProbe probe, long fromMs, long count) {
    Poll.until(() -> probe.answeredSince(fromMs) >= count, Duration.ofSeconds(30),
        count + " requests answered");
  }

  /** Waits until the probe's clock passes {@code ms}, and the requests sent by then have ended. */
  private static void awaitTime(BusProbe probe, long ms) {
    Poll.until(() -> probe.nowMs() >= ms + PROBE_TIMEOUT_MS + 500, Duration.ofMinutes(3),
        "the probe's clock at " + ms + " ms");
  }
}
