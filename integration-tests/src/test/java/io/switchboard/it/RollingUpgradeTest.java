package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RollingUpgradeTest upgrades a running cluster of the previous release's jars to this build's, one
 * member at a time, under a ledger of publishes and with a signaling room open throughout.
 *
 * <p>The previous release is {@link #PREVIOUS}, the commit before the work that put a protocol
 * version on the bus ({@link PreviousRelease} builds it once). Two gateways, two sse-service
 * members, a signaling-service and an echo-service member of that release start as processes
 * (a gateway is ready only with each service in the cluster); then each is
 * replaced as an operator would: the new member is started and awaited (in the cluster, every
 * partition backed up again; a gateway ready and put in rotation), then the old one gets SIGTERM,
 * and the cluster is awaited again before the next. A gateway goes first, so that every mix of
 * releases is seen: a new gateway beside old services, new data members beside an old gateway.
 * A publisher keeps the ledger of acknowledged events with idempotency keys, retrying 503, 504 and
 * lost connections on the gateways in rotation; subscribers resume by {@code Last-Event-ID} on
 * whichever gateway answers; peers on the two gateways relay to each other after every step.
 */
class RollingUpgradeTest {

  private static final Logger LOG = LoggerFactory.getLogger(RollingUpgradeTest.class);
  /** The last commit on main before the bus had a protocol version. */
  static final String PREVIOUS = PreviousRelease.BEFORE_BUS_PROTOCOL;
  private static final Duration START = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PER_SECOND = 25;
  /** Acknowledged publishes awaited before each replacement, so that each happens under load. */
  private static final int BETWEEN_STEPS = 40;
  /** The client compiler only and one GC thread: a quicker start on a shared host, for both releases. */
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final Predicate<SseClient.Event> SENTINEL = event -> event.data().contains("\"sentinel\"");

  private final TestCluster cluster = new TestCluster();
  private final Vertx clients = Vertx.vertx();
  private final List<ServiceProcess> processes = new ArrayList<>();
  /** The gateways' HTTP ports in rotation, as a load balancer sees them. */
  private final List<Integer> rotation = new CopyOnWriteArrayList<>();
  private final ExecutorService publishing = Executors.newSingleThreadExecutor();
  private final AtomicBoolean stopPublishing = new AtomicBoolean();
  private ClusterNode observer;

  /** A member of the cluster: its process, its module, and its HTTP port for a gateway. */
  private record Member(ServiceProcess process, String module, int port) {
  }

  @AfterEach
  void stopCluster() {
    stopPublishing.set(true);
    publishing.shutdownNow();
    processes.forEach(ServiceProcess::close);
    cluster.close();
    TestCluster.await(clients.close());
  }

  @Test
  void aRollingUpgradeFromThePreviousReleaseLosesNoAcknowledgedEventAndKeepsRelaying() throws Exception {
    PreviousRelease previous = PreviousRelease.of(PREVIOUS);
    // One at a time, data members first, so that a busy host does not hold up their joins.
    Member sseA = awaitUp(startOld(previous, "sse-service", "a"));
    Member sseB = awaitUp(startOld(previous, "sse-service", "b"));
    Member signaling = awaitUp(startOld(previous, "signaling-service", "a"));
    Member echo = awaitUp(startOld(previous, "echo-service", "a"));
    Member gatewayA = awaitUp(startOld(previous, "gateway-service", "a"));
    Member gatewayB = awaitUp(startOld(previous, "gateway-service", "b"));
    List<Member> old = List.of(gatewayA, sseA, sseB, signaling, echo, gatewayB);
    // A lite member in the test's own JVM sees the member list and the partition table.
    observer = cluster.startLiteNode();
    awaitSafe(old.size() + 1);
    rotation.add(gatewayA.port());
    rotation.add(gatewayB.port());

    String topic = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
    RetryingPublisher publisher = new RetryingPublisher(() -> List.copyOf(rotation), topic);
    List<ResumingSubscriber> subscribers = new ArrayList<>();
    Room room = new Room(clients, "upgrade-" + UUID.randomUUID().toString().substring(0, 8), WAIT);
    try {
      for (int i = 0; i < 2; i++) {
        int first = i;
        subscribers.add(subscriber(first, topic));
      }
      room.enter(gatewayA.port());
      room.enter(gatewayB.port());
      room.relayBetweenAll("all on the previous release");
      Future<?> load = publishing.submit(() -> publisher.publishUntil(stopPublishing::get, PER_SECOND));
      for (Member member : old) {
        awaitAcked(publisher, publisher.ackedCount() + BETWEEN_STEPS, load);
        Member replacement = replace(member, room);
        LOG.info("Replaced {} by {}; {} publishes acknowledged so far", member.process(),
            replacement.process(), publisher.ackedCount());
        room.relayBetweenAll("after upgrading " + member.process().name());
      }
      awaitAcked(publisher, publisher.ackedCount() + BETWEEN_STEPS, load);
      stopPublishing.set(true);
      load.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
      publisher.publishSentinel();
      LOG.info("{} publishes acknowledged after {} retries; the slowest took {} ms",
          publisher.acked().size(), publisher.retries(), publisher.slowest().toMillis());
      publisher.failures().forEach(failure -> LOG.info("failed: {}", failure));
      for (int i = 0; i < subscribers.size(); i++) {
        LedgerCheck.delivered(publisher.acked(), subscribers.get(i).awaitLast(WAIT), "subscriber " + i);
      }
      LedgerCheck.stored(publisher.acked(), rotation.get(0), topic);
      everyNodeSpeaksThisVersion();
      noMemberMisreadAnother();
    } finally {
      room.close();
      subscribers.forEach(ResumingSubscriber::close);
    }
  }

  /**
   * Starts this build's member in place of {@code member}, waits for it, and stops the old one with
   * SIGTERM; members of a room on an old gateway join again through the new one.
   */
  private Member replace(Member member, Room room) {
    int members = observer.hazelcast().getCluster().getMembers().size();
    Member replacement = awaitUp(start(member.module(), member.process().name().replace("old", "new"),
        ServiceProcess.jar(member.module(), member.module())));
    awaitSafe(members + 1);
    if (replacement.port() != 0) {
      rotation.add(replacement.port());
      rotation.remove(Integer.valueOf(member.port()));
    }
    int status = member.process().terminate(WAIT);
    // 143 is 128 + SIGTERM: the JVM's status after its shutdown hooks ran on the signal.
    assertTrue(status == 0 || status == 143, member.process() + " exit status on SIGTERM: " + status);
    if (replacement.port() != 0) {
      room.rejoinFrom(member.port(), replacement.port());
    }
    awaitSafe(members);
    return replacement;
  }

  private Member startOld(PreviousRelease release, String module, String suffix) {
    return start(module, "upgrade-old-" + module + "-" + suffix, release.jar(module));
  }

  private Member start(String module, String name, Path jar) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", cluster.name());
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(cluster.config().port()));
    env.put("CLUSTER_MEMBERS", String.join(",", cluster.config().members()));
    env.put("HTTP_PORT", "0");
    // The whole run stays in history, by count, bytes and keys, however long a busy host makes it.
    env.put("SSE_HISTORY_SIZE", "50000");
    env.put("SSE_HISTORY_MAX_BYTES_PER_TOPIC", "16777216");
    env.put("PUBLISH_IDEMPOTENCY_MAX_KEYS", "50000");
    env.put("SSE_REQUEST_TIMEOUT_MS", "3000");
    ServiceProcess process = ServiceProcess.start(name, jar, env, JVM);
    processes.add(process);
    return new Member(process, module, 0);
  }

  /** Waits for the member's start-up, and a gateway's port and readiness: the member with its port. */
  private static Member awaitUp(Member member) {
    member.process().awaitStarted(START);
    if (!member.module().equals("gateway-service")) {
      return member;
    }
    int port = member.process().awaitHttpPort(START);
    Poll.until(() -> Http.get(port, "/ready").statusCode() == 200, START,
        member.process() + " ready: " + Http.get(port, "/ready").body());
    return new Member(member.process(), member.module(), port);
  }

  private void awaitSafe(int members) {
    Poll.until(() -> observer.hazelcast().getCluster().getMembers().size() == members
            && observer.hazelcast().getPartitionService().isClusterSafe(), START,
        members + " members, every partition backed up; members now: "
            + observer.hazelcast().getCluster().getMembers());
  }

  private ResumingSubscriber subscriber(int first, String topic) throws InterruptedException {
    ResumingSubscriber subscriber = new ResumingSubscriber(clients, () -> rotated(first), "/sse/" + topic,
        SENTINEL);
    subscriber.awaitOpen(WAIT);
    return subscriber;
  }

  private List<Integer> rotated(int first) {
    List<Integer> ports = new ArrayList<>(rotation);
    Collections.rotate(ports, -(first % ports.size()));
    return ports;
  }

  /** The cluster view lists the six members, each at this build's bus protocol, once the upgrade is done. */
  private void everyNodeSpeaksThisVersion() {
    int port = rotation.get(0);
    Poll.until(() -> {
      HttpResponse<String> view = Http.get(port, "/api/cluster");
      JsonArray nodes = Http.json(view).getJsonArray("nodes");
      return nodes.size() == 6 && nodes.stream()
          .allMatch(node -> ((JsonObject) node).getInteger("protocol", 0) == BusProtocol.VERSION);
    }, WAIT, "every node at protocol " + BusProtocol.VERSION + ": " + Http.get(port, "/api/cluster").body());
  }

  /**
   * No member of either release failed to read what another sent it (a backup, an entry processor,
   * a map value), nor refused a message for its protocol version. A layout one release cannot read
   * shows up here even when Hazelcast gets over it, as it does for a backup it gives up on.
   */
  private void noMemberMisreadAnother() {
    for (ServiceProcess process : processes) {
      String log = process.output();
      for (String sign : List.of("HazelcastSerializationException", "Refusing a message")) {
        assertTrue(!log.contains(sign), process + " logged " + sign + ":\n" + excerpt(log, sign));
      }
    }
  }

  private static String excerpt(String log, String sign) {
    int at = log.indexOf(sign);
    return log.substring(Math.max(0, at - 500), Math.min(log.length(), at + 1500));
  }

  /** Waits for {@code count} acknowledged publishes; fails at once if the publisher failed. */
  private static void awaitAcked(RetryingPublisher publisher, int count, Future<?> load) {
    Poll.until(() -> publisher.ackedCount() >= count || load.isDone(), WAIT,
        count + " acknowledged publishes, " + publisher.ackedCount() + " so far");
    if (load.isDone()) {
      try {
        load.get();
      } catch (Exception e) {
        throw new AssertionError("The publisher stopped: " + e.getCause(), e.getCause());
      }
    }
  }
}
