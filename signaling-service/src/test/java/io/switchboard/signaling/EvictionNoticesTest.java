package io.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.RoomChange;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The notices to gateway nodes taken for lost whose peers were evicted, on one Vert.x instance:
 * stand-in gateway inboxes answer as gateways do, and the test decides which nodes are listed in
 * the cluster.
 */
class EvictionNoticesTest {

  private final Vertx vertx = Vertx.vertx();
  private final Set<String> live = ConcurrentHashMap.newKeySet();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private EvictionNotices notices(Duration keep) {
    return new EvictionNotices(vertx, () -> Set.copyOf(live), keep);
  }

  private BlockingQueue<PresenceEvent> inbox(String node) {
    BlockingQueue<PresenceEvent> events = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.gatewaySignaling(node), message -> {
      events.add(PresenceEvent.fromJson(message.body()));
      message.reply(null);
    }).completion().await();
    return events;
  }

  /** The eviction from {@code room}, at {@code version}, of peer to node pairs. */
  private static Map<String, RoomChange> evicted(String room, long version, String... peersAndNodes) {
    Map<String, String> removed = new LinkedHashMap<>();
    for (int i = 0; i < peersAndNodes.length; i += 2) {
      removed.put(peersAndNodes[i], peersAndNodes[i + 1]);
    }
    return Map.of(room, new RoomChange(RoomChange.Outcome.REMOVED, version, Map.of(), removed, Map.of()));
  }

  private <T> T onContext(java.util.function.Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> result.complete(action.get()));
    return result.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aNodeFoundInTheClusterAgainIsToldWhichOfItsPeersWereEvicted() throws Exception {
    BlockingQueue<PresenceEvent> gatewayA = inbox("gateway-a");
    BlockingQueue<PresenceEvent> gatewayB = inbox("gateway-b");
    EvictionNotices notices = notices(Duration.ofMinutes(1));
    onContext(() -> {
      notices.add(evicted("standup", 7, "alice", "gateway-a", "bob", "gateway-b", "carol", "gateway-a"));
      return null;
    });

    // gateway-b is back first; gateway-a, still missing, hears nothing before it.
    live.add("gateway-b");
    assertEquals(PresenceEvent.evicted("standup", 7, List.of("bob")), gatewayB.poll(10, TimeUnit.SECONDS));
    assertNull(gatewayA.peek());
    live.add("gateway-a");
    assertEquals(PresenceEvent.evicted("standup", 7, List.of("alice", "carol")),
        gatewayA.poll(10, TimeUnit.SECONDS));

    // Answered notices are not sent again: a later eviction is the next thing gateway-a gets.
    onContext(() -> {
      notices.add(evicted("retro", 9, "dave", "gateway-a"));
      return null;
    });
    assertEquals(PresenceEvent.evicted("retro", 9, List.of("dave")), gatewayA.poll(10, TimeUnit.SECONDS));
    assertNull(gatewayB.peek());
  }

  @Test
  void aNoticeIsSentAgainUntilTheNodesInboxAnswers() throws Exception {
    live.add("gateway-c");
    EvictionNotices notices = notices(Duration.ofMinutes(1));
    onContext(() -> {
      notices.add(evicted("standup", 3, "erin", "gateway-c"));
      return null;
    });
    // The node is listed, but its inbox is not registered yet, as right after a merge.
    Thread.sleep(2 * EvictionNotices.RETRY_MS);
    assertEquals(1, (int) onContext(notices::pending));

    BlockingQueue<PresenceEvent> gatewayC = inbox("gateway-c");
    assertEquals(PresenceEvent.evicted("standup", 3, List.of("erin")), gatewayC.poll(10, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (onContext(notices::pending) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, (int) onContext(notices::pending));
  }

  @Test
  void theNoticesForANodeThatNeverComesBackAreDroppedWhenTheirTimeIsUp() throws Exception {
    EvictionNotices notices = notices(Duration.ofSeconds(3));
    onContext(() -> {
      notices.add(evicted("standup", 5, "frank", "gateway-dead"));
      return null;
    });
    assertEquals(1, (int) onContext(notices::pending));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (onContext(notices::pending) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, (int) onContext(notices::pending));

    // Had it come back later, it would have got nothing.
    BlockingQueue<PresenceEvent> inbox = inbox("gateway-dead");
    live.add("gateway-dead");
    onContext(() -> {
      notices.add(evicted("marker", 6, "grace", "gateway-dead"));
      return null;
    });
    assertEquals(PresenceEvent.evicted("marker", 6, List.of("grace")), inbox.poll(10, TimeUnit.SECONDS));
    assertNull(inbox.peek());
  }
}
