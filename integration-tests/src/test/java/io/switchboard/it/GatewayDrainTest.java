package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GatewayDrainTest stops gateways the way SIGTERM does, under load: the process's shutdown hook
 * ({@code ServiceRunner}) closes the node's Vert.x, which undeploys the gateway and then leaves the
 * cluster, and {@link TestCluster#stopNode} does exactly that. Each gateway is a Hazelcast lite
 * member as in production, beside two sse-service members and a signaling-service member.
 *
 * <p>SSE subscribers are plain HTTP clients that resume by {@code Last-Event-ID} like EventSource
 * ({@link ResumingSubscriber}); a publisher keeps a ledger of acknowledged events
 * ({@link RetryingPublisher}); a sentinel published last is the positive signal that everything
 * before it has arrived. Each test gets a cluster of its own.
 */
class GatewayDrainTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PER_SECOND = 40;
  /** Acknowledged publishes awaited before and after each drain, so that each falls under load. */
  private static final int BETWEEN_DRAINS = 25;
  private static final Predicate<SseClient.Event> SENTINEL = event -> event.data().contains("\"sentinel\"");

  private final TestCluster cluster = new TestCluster();
  private final Vertx clients = Vertx.vertx();
  /** The gateways in rotation, as a load balancer sees them. */
  private final List<Gateway> gateways = new CopyOnWriteArrayList<>();
  private final ExecutorService publishing = Executors.newSingleThreadExecutor();
  private final AtomicBoolean stopPublishing = new AtomicBoolean();

  /** A gateway member and the port it serves on. */
  record Gateway(ClusterNode node, int port) {
  }

  @BeforeEach
  void startCluster() {
    SseServiceConfig history = SseServiceConfig.from(new Env(Map.of(
        "SSE_HISTORY_SIZE", "5000", "SSE_HISTORY_MAX_BYTES_PER_TOPIC", "2097152")));
    SseNodes.service(cluster, history);
    SseNodes.service(cluster, history);
    ClusterNode signaling = cluster.startNode();
    TestCluster.await(signaling.vertx().deployVerticle(
        new SignalingVerticle(signaling, new SignalingServiceConfig(16))));
    for (int i = 0; i < 3; i++) {
      startGateway();
    }
  }

  @AfterEach
  void stopCluster() {
    stopPublishing.set(true);
    publishing.shutdownNow();
    cluster.close();
    TestCluster.await(clients.close());
  }

  @Test
  void streamsOfADrainedGatewayGetReconnectThenEndAndResumeElsewhereWithEveryAcknowledgedEventOnce()
      throws Exception {
    Gateway a = gateways.get(0);
    Gateway b = gateways.get(1);
    Gateway c = gateways.get(2);
    String topic = topic();
    RetryingPublisher publisher = new RetryingPublisher(() -> List.of(c.port()), topic);
    List<ResumingSubscriber> subscribers = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        subscribers.add(subscriber(() -> List.of(a.port(), b.port()), topic));
      }
      Future<?> load = startPublishing(publisher);
      awaitAcked(publisher, BETWEEN_DRAINS, load);
      drain(a);
      awaitAcked(publisher, publisher.ackedCount() + BETWEEN_DRAINS, load);
      stopPublishing(load);
      publisher.publishSentinel();
      for (int i = 0; i < subscribers.size(); i++) {
        ResumingSubscriber subscriber = subscribers.get(i);
        LedgerCheck.delivered(publisher.acked(), subscriber.awaitLast(WAIT), "subscriber " + i);
        List<ResumingSubscriber.Stream> streams = subscriber.streams();
        assertEquals(1, streams.size(), "subscriber " + i + " resumed once: " + streams);
        endedWithReconnect(streams.get(0), a.port(), "subscriber " + i);
      }
    } finally {
      subscribers.forEach(ResumingSubscriber::close);
    }
  }

  @Test
  void aRollingRestartOfEveryGatewayUnderLoadLosesNoEventNoRoomMembershipAndNoRelay() throws Exception {
    String topic = topic();
    RetryingPublisher publisher = new RetryingPublisher(this::ports, topic);
    List<ResumingSubscriber> subscribers = new ArrayList<>();
    Room room = new Room(clients, "rolling-" + UUID.randomUUID().toString().substring(0, 8), WAIT);
    try {
      for (int i = 0; i < gateways.size(); i++) {
        int first = i;
        // Each starts on a gateway of its own, then tries the others in turn.
        subscribers.add(subscriber(() -> rotated(ports(), first), topic));
        room.enter(gateways.get(i).port());
      }
      room.relayBetweenAll("before");
      Future<?> load = startPublishing(publisher);
      for (Gateway gateway : List.copyOf(gateways)) {
        awaitAcked(publisher, publisher.ackedCount() + BETWEEN_DRAINS, load);
        drain(gateway);
        Gateway replacement = startGateway();
        room.rejoinFrom(gateway.port(), replacement.port());
        room.relayBetweenAll("after restarting the gateway on " + gateway.port());
        Poll.until(() -> room.listedBy(replacement.port()).equals(room.ids()), WAIT,
            "the room lists exactly its current members " + room.ids());
      }
      awaitAcked(publisher, publisher.ackedCount() + BETWEEN_DRAINS, load);
      stopPublishing(load);
      publisher.publishSentinel();
      for (int i = 0; i < subscribers.size(); i++) {
        everyStreamEndedWithReconnect(subscribers.get(i), publisher, "subscriber " + i);
      }
    } finally {
      room.close();
      subscribers.forEach(ResumingSubscriber::close);
    }
  }

  private void everyStreamEndedWithReconnect(ResumingSubscriber subscriber, RetryingPublisher publisher,
      String who) throws InterruptedException {
    LedgerCheck.delivered(publisher.acked(), subscriber.awaitLast(WAIT), who);
    List<ResumingSubscriber.Stream> streams = subscriber.streams();
    assertFalse(streams.isEmpty(), who + " was on a restarted gateway, so its stream ended once at least");
    for (ResumingSubscriber.Stream stream : streams) {
      endedWithReconnect(stream, stream.port(), who);
    }
  }

  /**
   * The stream on {@code port} ended with a {@code reconnect} event for a shutdown, nothing after it,
   * and the event left the resume position where the last topic event put it.
   */
  private static void endedWithReconnect(ResumingSubscriber.Stream stream, int port, String who) {
    assertEquals(port, stream.port(), who + ": the stream that ended");
    SseClient.Event reconnect = stream.reconnect();
    assertNotNull(reconnect, who + ": the stream on " + port + " ended without a reconnect event");
    assertEquals(new JsonObject().put("reason", "shutdown"), reconnect.json(), who);
    assertEquals(List.of(), stream.afterReconnect(), who + ": events after the reconnect event");
    // EventSource keeps the last id it saw: an id on the reconnect event would have replaced it.
    assertTrue(reconnect.id() == null || reconnect.id().equals(stream.lastId()),
        who + ": the reconnect event moved the id from " + stream.lastId() + " to " + reconnect.id());
  }

  private Gateway startGateway() {
    ClusterNode node = cluster.startLiteNode();
    GatewayVerticle verticle = new GatewayVerticle(TestConfigs.gateway(), ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(verticle));
    Gateway gateway = new Gateway(node, verticle.actualPort());
    gateways.add(gateway);
    return gateway;
  }

  /**
   * Takes {@code gateway} out of rotation, as a load balancer does once its {@code /ready} fails,
   * and stops it as SIGTERM does: its Vert.x closes, the gateway drains, and the node leaves.
   */
  private void drain(Gateway gateway) {
    gateways.remove(gateway);
    cluster.stopNode(gateway.node());
  }

  private List<Integer> ports() {
    return gateways.stream().map(Gateway::port).toList();
  }

  private static List<Integer> rotated(List<Integer> ports, int first) {
    List<Integer> rotated = new ArrayList<>(ports);
    Collections.rotate(rotated, -(first % rotated.size()));
    return rotated;
  }

  private ResumingSubscriber subscriber(Supplier<List<Integer>> ports, String topic) throws InterruptedException {
    ResumingSubscriber subscriber = new ResumingSubscriber(clients, ports, "/sse/" + topic, SENTINEL);
    subscriber.awaitOpen(WAIT);
    return subscriber;
  }

  private Future<?> startPublishing(RetryingPublisher publisher) {
    return publishing.submit(() -> publisher.publishUntil(stopPublishing::get, PER_SECOND));
  }

  /** Stops the publisher and waits for it: its ledger is then the test thread's to read. */
  private void stopPublishing(Future<?> load) throws Exception {
    stopPublishing.set(true);
    load.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
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

  private static String topic() {
    return "drain-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
