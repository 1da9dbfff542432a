package io.switchboard.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.it.PreviousRelease;
import io.switchboard.it.ResumingSubscriber;
import io.switchboard.it.RetryingPublisher;
import io.switchboard.it.ServiceProcess;
import io.switchboard.it.SseClient;
import io.switchboard.it.chaos.ChaosCluster.Kind;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ChaosSuiteTest runs a cluster of packaged jars (three gateways, two sse-service, two
 * signaling-service members and an echo service, {@code CLUSTER_MIN_DATA_MEMBERS} a majority of
 * the data members) under steady load while it injects faults one at a time: a rolling upgrade of
 * every member from the previous release ({@link PreviousRelease#BEFORE_BUS_PROTOCOL}, which the
 * cluster starts on) to this build, a rolling restart of every gateway, {@code kill -9} of a member of each kind, {@code SIGSTOP} of a data member for 15 s,
 * and a network partition that cuts an sse-service member off for 30 s. Each process runs in a
 * network namespace of its own (this needs root, {@code ip} and {@code iptables}). A ledger records every acknowledged publish, every event each subscriber received, and every
 * signaling relay; the report lists the faults, the operations and each invariant with its figures.
 *
 * <p>The short form, run by {@code mvn verify}, injects each fault once (about five minutes).
 * {@code -Dchaos.minutes=N} repeats the round of faults until N minutes have passed, and
 * {@code -Dchaos.report=path} says where the report goes ({@code ./chaos.sh} does both).
 */
class ChaosSuiteTest {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosSuiteTest.class);
  private static final int ROOM_CAPACITY = 2;
  private static final int TOPICS = 2;
  private static final int SUBSCRIBERS_PER_TOPIC = 2;
  private static final int PUBLISHES_PER_SECOND = 15;
  private static final int PAIRS = 4;
  private static final Duration STEADY = Duration.ofSeconds(5);
  private static final Duration PARTITIONED_FOR = Duration.ofSeconds(30);
  /**
   * The short form's load lasts this long from its first fault, whatever the faults took, so that
   * the members no fault replaced have the samples the memory invariant needs.
   */
  private static final Duration SHORT_FORM_LOAD = Duration.ofMinutes(4);

  private final double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "0"));
  private final Path reportPath = Path.of(System.getProperty("chaos.report",
      ServiceProcess.root().resolve("integration-tests/target/chaos-report.md").toString()));
  private final long seed = Long.getLong("chaos.seed", System.nanoTime());
  private final RssSampler rss = new RssSampler(5_000);
  private final ChaosCluster cluster = new ChaosCluster(3, 2, 2, ROOM_CAPACITY, rss);
  private final Vertx clients = Vertx.vertx();
  private final Tally tally = new Tally();
  private final List<String> incidents = new CopyOnWriteArrayList<>();
  private final ExecutorService load = Executors.newCachedThreadPool();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicBoolean stopPublishing = new AtomicBoolean();
  private final AtomicInteger largestRoom = new AtomicInteger();

  @AfterEach
  void stop() {
    stopPublishing.set(true);
    sampler.shutdownNow();
    load.shutdownNow();
    rss.close();
    cluster.close();
    TestCluster.await(clients.close());
  }

  @Test
  void acknowledgedEventsArriveOnceInOrderRoomsStayWithinCapacityAndTheClusterHealsUnderFaults()
      throws Exception {
    PreviousRelease previous = PreviousRelease.of(PreviousRelease.BEFORE_BUS_PROTOCOL);
    Instant began = Instant.now();
    long runStarted = System.nanoTime();
    cluster.useRelease("release " + previous.shortCommit(), kind -> previous.jar(kind.module));
    cluster.start();
    Supplier<List<Integer>> ports = cluster::ports;
    Map<String, RetryingPublisher> publishers = new LinkedHashMap<>();
    Map<String, List<ResumingSubscriber>> subscribers = new LinkedHashMap<>();
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (int t = 0; t < TOPICS; t++) {
      String topic = "chaos-" + run + "-" + t;
      // One topic's publisher goes over HTTP, the other's over /ws/topics.
      publishers.put(topic, t % 2 == 0 ? new RetryingPublisher(ports, topic)
          : RetryingPublisher.overWebSocket(ports, topic));
      List<ResumingSubscriber> list = new ArrayList<>();
      for (int s = 0; s < SUBSCRIBERS_PER_TOPIC; s++) {
        int first = t * SUBSCRIBERS_PER_TOPIC + s;
        list.add(new ResumingSubscriber(clients, () -> rotated(cluster.ports(), first), "/sse/" + topic,
            event -> event.data().contains("\"sentinel\"")));
      }
      subscribers.put(topic, list);
    }
    for (List<ResumingSubscriber> list : subscribers.values()) {
      for (ResumingSubscriber subscriber : list) {
        subscriber.awaitOpen(ChaosCluster.START);
      }
    }
    rss.loadBegan();
    List<Future<?>> publishing = new ArrayList<>();
    // The previous release has no /ws/topics: until the rolling upgrade brings the first gateway to
    // this build, the WebSocket publisher's attempts fail to connect and are retried.
    publishers.values().forEach(publisher -> publishing.add(load.submit(
        () -> publisher.publishUntil(stopPublishing::get, PUBLISHES_PER_SECOND))));
    SignalingPairs pairs = new SignalingPairs(clients, ports, ROOM_CAPACITY, tally, incidents);
    pairs.start(PAIRS, "chaos-" + run);
    sampler.scheduleWithFixedDelay(() -> largestRoom.accumulateAndGet(pairs.sampleRooms(), Math::max),
        1, 1, TimeUnit.SECONDS);
    pairs.awaitRelaying(Duration.ofSeconds(60));
    ServiceProcess.pause(STEADY.toMillis());

    Faults faults = new Faults(cluster, pairs, seed, runStarted);
    String aborted = null;
    int rounds = 0;
    long faultsStarted = System.nanoTime();
    try {
      faults.rollingUpgrade("this build", kind -> ServiceProcess.jar(kind.module, kind.module));
      ServiceProcess.pause(STEADY.toMillis());
      do {
        round(faults, rounds++);
      } while (System.nanoTime() - runStarted < (long) (minutes * 60e9));
      ServiceProcess.pause(STEADY.toMillis() * 2);
      long rest = SHORT_FORM_LOAD.toNanos() - (System.nanoTime() - faultsStarted);
      if (minutes == 0 && rest > 0) {
        ServiceProcess.pause(rest / 1_000_000);
      }
    } catch (AssertionError | RuntimeException failure) {
      aborted = firstLine(failure.toString());
      LOG.error("The run stopped early", failure);
    }

    stopPublishing.set(true);
    List<String> publisherFailures = new ArrayList<>();
    for (Future<?> future : publishing) {
      try {
        future.get(120, TimeUnit.SECONDS);
      } catch (Exception failure) {
        publisherFailures.add(String.valueOf(failure.getCause()));
      }
    }
    Map<String, List<SseLedger.Verdict>> verdicts = new LinkedHashMap<>();
    for (Map.Entry<String, RetryingPublisher> entry : publishers.entrySet()) {
      // Without a sentinel acknowledged, each subscriber is read for a short while only: its events
      // are still checked against the ledger, and the report is written whatever happens.
      Duration last = Duration.ofSeconds(90);
      try {
        entry.getValue().publishSentinel();
      } catch (AssertionError | RuntimeException refused) {
        incidents.add(entry.getKey() + ": the last publish, the sentinel, was not acknowledged: " + refused.getMessage());
        last = Duration.ofSeconds(1);
      }
      List<SseLedger.Verdict> list = new ArrayList<>();
      int i = 0;
      for (ResumingSubscriber subscriber : subscribers.get(entry.getKey())) {
        String who = entry.getKey() + " subscriber " + i++;
        List<SseClient.Event> received;
        try {
          received = subscriber.awaitLast(last);
        } catch (AssertionError late) {
          // What did arrive is still checked: the events missing at its end count as missing.
          incidents.add(who + ": " + late.getMessage());
          received = subscriber.received();
        }
        list.add(SseLedger.check(entry.getValue().acked(), received, who));
        tallyStreams(subscriber);
        subscriber.close();
      }
      verdicts.put(entry.getKey(), list);
    }
    pairs.close();
    sampler.shutdownNow();
    pairs.sampleRooms();

    ChaosReporting reporting = new ChaosReporting(cluster, rss, tally, incidents, faults, ROOM_CAPACITY);
    String report = reporting.render(new ChaosReporting.Run(began,
        Duration.ofNanos(System.nanoTime() - runStarted), minutes, rounds, seed, aborted),
        pairs, publishers, verdicts, publisherFailures, largestRoom.get());
    ChaosReport.write(reportPath, report);
    LOG.info("Chaos report, also in {}:\n{}", reportPath, report);
    assertEquals(List.of(), reporting.failed(), () -> "failed invariants; the report is in " + reportPath + "; "
        + reporting.failureSummary(seed));
  }

  /**
   * One round of faults, each followed by a steady spell, after the rolling upgrade of the whole
   * cluster from the previous release; a second round freezes the other kind.
   */
  private static void round(Faults faults, int round) {
    faults.rollingRestart();
    ServiceProcess.pause(STEADY.toMillis());
    for (Kind kind : List.of(Kind.SSE, Kind.SIGNALING, Kind.ECHO, Kind.GATEWAY)) {
      faults.kill(kind);
      ServiceProcess.pause(STEADY.toMillis());
    }
    faults.freeze(round % 2 == 0 ? Kind.SSE : Kind.SIGNALING);
    ServiceProcess.pause(STEADY.toMillis());
    faults.isolate(Kind.SSE, PARTITIONED_FOR);
    ServiceProcess.pause(STEADY.toMillis());
  }

  private void tallyStreams(ResumingSubscriber subscriber) {
    for (ResumingSubscriber.Stream stream : subscriber.streams()) {
      tally.add(stream.reconnect() == null ? "sse streams ended without a reconnect event"
          : "sse streams ended with a reconnect event");
      tally.add("sse events after a reconnect event", stream.afterReconnect().size());
    }
    tally.add("sse resumes", subscriber.resumes());
  }

  private static List<Integer> rotated(List<Integer> ports, int first) {
    List<Integer> rotated = new ArrayList<>(ports);
    Collections.rotate(rotated, -(first % Math.max(1, rotated.size())));
    return rotated;
  }

  /** The first line of {@code text}, cut at 300 characters: a process's whole output may follow. */
  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end) + " (more in the test's log)";
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }
}
