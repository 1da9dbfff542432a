package io.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.switchboard.common.Addresses;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.Room;
import io.switchboard.common.signaling.RoomMaps;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eviction of the peers of gateway nodes that are not in the cluster, on one cluster member of
 * its own, around a merge of split clusters: this member's lifecycle events are given to the
 * watcher as Hazelcast gives them.
 */
class NodeLossWatcherTest {

  private static TestCluster cluster;
  private static ClusterNode node;

  @BeforeAll
  static void oneMember() {
    cluster = new TestCluster();
    node = cluster.startNode();
  }

  @AfterAll
  static void close() {
    cluster.close();
  }

  @Test
  void noPeerIsEvictedWhileThisMemberMergesAndThePeersOfGatewaysStillMissingAreOnceTheMergeSettled()
      throws Exception {
    String room = "standup-" + UUID.randomUUID().toString().substring(0, 8);
    String missing = "gw-missing-" + UUID.randomUUID().toString().substring(0, 8);
    BlockingQueue<PresenceEvent> inbox = inbox(node.nodeId());
    Map<String, String> members = new LinkedHashMap<>();
    members.put("alice", node.nodeId());
    members.put("bob", missing);
    node.hazelcast().<String, Room>getMap(RoomMaps.ROOMS)
        .put(room, new Room(5_000, members, Map.of(), Map.of("alice", 1_000L, "bob", 1_001L), false));
    Context context = node.vertx().getOrCreateContext();
    NodeLossWatcher watcher = new NodeLossWatcher(context, node.hazelcast(),
        new RoomRegistry(context, node.hazelcast(), 4), new PresenceNotifier(node.vertx()),
        Duration.ofMillis(300), Duration.ofMinutes(1));

    // This member is merging into another cluster: its member list is only itself for now.
    watcher.onLifecycle(new LifecycleEvent(LifecycleState.MERGING));
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> watcher.start().onComplete(started));
    TestCluster.await(started.future());
    assertEquals(List.of("alice", "bob"), stored(room), "bob's gateway may be merging too");

    watcher.onLifecycle(new LifecycleEvent(LifecycleState.MERGED));
    PresenceEvent left = inbox.poll(10, TimeUnit.SECONDS);
    assertNotNull(left, "no peer-left within 10 s of the merge");
    assertEquals(List.of("bob"), left.left());
    assertEquals(List.of("alice"), stored(room));
    context.runOnContext(v -> watcher.stop());
  }

  /** A stand-in gateway node's inbox: it answers as gateways do, and keeps what it got. */
  private static BlockingQueue<PresenceEvent> inbox(String gatewayNode) {
    BlockingQueue<PresenceEvent> events = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = node.vertx().eventBus().consumer(Addresses.gatewaySignaling(gatewayNode),
        message -> {
          events.add(PresenceEvent.fromJson(message.body()));
          if (message.replyAddress() != null) {
            message.reply(null);
          }
        });
    TestCluster.await(consumer.completion());
    return events;
  }

  private static List<String> stored(String room) {
    return List.copyOf(node.hazelcast().<String, Room>getMap(RoomMaps.ROOMS).get(room).members().keySet());
  }
}
