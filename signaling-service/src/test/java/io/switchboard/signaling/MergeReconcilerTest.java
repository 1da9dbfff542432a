package io.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.Room;
import io.switchboard.common.signaling.RoomMaps;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation of rooms a merge of split clusters joined, on one cluster member of its own:
 * each test stores a room as RoomMergePolicy leaves it (members of both sides in join order,
 * marked merged), runs signaling instances' reconcilers over it, and reads what stand-in gateway
 * inboxes receive. Each test uses rooms and gateway nodes of its own.
 */
class MergeReconcilerTest {

  private static final int CAPACITY = 2;

  private static TestCluster cluster;
  private static ClusterNode node;
  private static EventBus bus;

  @BeforeAll
  static void oneMember() {
    cluster = new TestCluster();
    node = cluster.startNode();
    bus = node.vertx().eventBus();
  }

  @AfterAll
  static void close() {
    cluster.close();
  }

  /** A stand-in gateway node's inbox: it answers as gateways do, and keeps what it got. */
  private static BlockingQueue<PresenceEvent> inbox(String gatewayNode) {
    BlockingQueue<PresenceEvent> events = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = bus.consumer(Addresses.gatewaySignaling(gatewayNode), message -> {
      events.add(PresenceEvent.fromJson(message.body()));
      if (message.replyAddress() != null) {
        message.reply(null);
      }
    });
    TestCluster.await(consumer.completion());
    return events;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Stores {@code room} as a merge leaves it; members are peer, node pairs in join order. */
  private static void storeMerged(String room, String... peerNodePairs) {
    Map<String, String> members = new LinkedHashMap<>();
    Map<String, Long> joins = new LinkedHashMap<>();
    for (int i = 0; i < peerNodePairs.length; i += 2) {
      members.put(peerNodePairs[i], peerNodePairs[i + 1]);
      joins.put(peerNodePairs[i], 1_000L + i);
    }
    node.hazelcast().<String, Room>getMap(RoomMaps.ROOMS)
        .put(room, new Room(5_000, members, Map.of(), joins, true));
  }

  /** Starts a signaling instance's reconciler, which sweeps once; returns its later evictions. */
  private static AtomicInteger startReconciler() {
    Context context = node.vertx().getOrCreateContext();
    RoomRegistry registry = new RoomRegistry(context, node.hazelcast(), CAPACITY);
    AtomicInteger evictions = new AtomicInteger();
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> new MergeReconciler(context, node.hazelcast(), registry,
        new PresenceNotifier(node.vertx()), evictions::incrementAndGet).start().onComplete(started));
    TestCluster.await(started.future());
    return evictions;
  }

  private static PresenceEvent next(BlockingQueue<PresenceEvent> inbox) throws InterruptedException {
    PresenceEvent event = inbox.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "no presence event within 10 s");
    return event;
  }

  private static List<String> stored(String room) {
    Room found = node.hazelcast().<String, Room>getMap(RoomMaps.ROOMS).get(room);
    return List.copyOf(found.members().keySet());
  }

  @Test
  void everyGatewayIsToldTheWholeRoomAndTheLatestJoinersOverCapacityThatTheyAreOut() throws Exception {
    String room = unique("standup");
    String gwA = unique("gw-a");
    String gwB = unique("gw-b");
    String gwC = unique("gw-c");
    BlockingQueue<PresenceEvent> a = inbox(gwA);
    BlockingQueue<PresenceEvent> b = inbox(gwB);
    BlockingQueue<PresenceEvent> c = inbox(gwC);
    storeMerged(room, "alice", gwA, "bob", gwB, "carol", gwA, "dave", gwC);

    AtomicInteger evictions = startReconciler();

    PresenceEvent expected = PresenceEvent.reconciliation(room, next(a).version(),
        Map.of("alice", gwA, "bob", gwB), List.of("carol", "dave"), Map.of(), List.of("carol", "dave"));
    assertTrue(expected.version() > 5_000, "newer than either side's copy");
    // gw-c hosts nobody left in the room: it hears so that dave is told he is out.
    assertEquals(expected, next(b));
    assertEquals(expected, next(c));
    assertEquals(List.of("alice", "bob"), stored(room));
    assertFalse(node.hazelcast().<String, Room>getMap(RoomMaps.ROOMS).get(room).merged());
    assertEquals(1, evictions.get(), "the peers of gateways that died meanwhile are evicted later");
  }

  @Test
  void aRoomIsAnnouncedOnceHoweverManySignalingInstancesSweep() throws Exception {
    String room = unique("standup");
    String gwA = unique("gw-a");
    BlockingQueue<PresenceEvent> a = inbox(gwA);
    storeMerged(room, "alice", gwA, "bob", gwA);

    startReconciler();
    startReconciler();
    assertEquals(room, next(a).room());

    // A room merged later is the next event: the first room was not announced twice.
    String later = unique("later");
    storeMerged(later, "carol", gwA);
    startReconciler();
    assertEquals(later, next(a).room());
  }

  @Test
  void aGatewayWhoseInboxIsNotInTheClusterYetStillGetsTheReconciliation() throws Exception {
    String room = unique("standup");
    String gwLate = unique("gw-late");
    storeMerged(room, "alice", gwLate, "bob", gwLate);

    startReconciler();
    // The gateway of the side that merged in registers its inbox after the sweep.
    BlockingQueue<PresenceEvent> late = inbox(gwLate);

    PresenceEvent event = next(late);
    assertEquals(room, event.room());
    assertTrue(event.reconciled());
    assertEquals(Map.of("alice", gwLate, "bob", gwLate), event.joined());
  }

  @Test
  void aRoomNotMergedIsNotAnnounced() throws Exception {
    String plain = unique("plain");
    String gwA = unique("gw-a");
    BlockingQueue<PresenceEvent> a = inbox(gwA);
    node.hazelcast().<String, Room>getMap(RoomMaps.ROOMS).put(plain, new Room(7, Map.of("alice", gwA)));
    String merged = unique("merged");
    storeMerged(merged, "bob", gwA);

    startReconciler();

    assertEquals(merged, next(a).room(), "only the merged room is announced");
    assertEquals(List.of("alice"), stored(plain));
  }
}
