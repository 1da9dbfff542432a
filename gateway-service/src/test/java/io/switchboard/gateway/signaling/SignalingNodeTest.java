package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.LeaveReply;
import io.switchboard.common.signaling.LeaveRequest;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignalingNodeTest {

  private final Vertx vertx = Vertx.vertx();
  private final SignalingNode node =
      new SignalingNode(vertx, "self", TestConfigs.signaling());

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aLostNodeCountsAsLostUntilItJoinsAgain() {
    node.nodeLost("gateway-b");
    assertTrue(node.rooms().isLost("gateway-b"));
    // A partition heals: the same node id is back, and its peers count again.
    node.nodeJoined("gateway-b");
    assertFalse(node.rooms().isLost("gateway-b"));
  }

  @Test
  void thisNodeIsNeverLostAndTheMemoryOfLossesIsBounded() {
    node.nodeLost("self");
    assertFalse(node.rooms().isLost("self"));
    for (int i = 0; i < 100; i++) {
      node.nodeLost("gateway-" + i);
    }
    assertEquals(64, node.rooms().lostNodes().size());
    assertEquals(List.of("gateway-36", "gateway-37"), List.copyOf(node.rooms().lostNodes()).subList(0, 2));
  }

  @Test
  void aReconciliationListingPeersOfThisNodeThatAreNotInTheRoomTakesThemOut() throws Exception {
    BlockingQueue<JsonObject> requests = new LinkedBlockingQueue<>();
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_ROOMS, message -> {
      requests.add(message.body());
      message.reply(new LeaveReply("standup", true).toJson());
    }).completion());
    Promise<Void> added = Promise.promise();
    vertx.runOnContext(v -> {
      node.addLoop(Vertx.currentContext());
      added.complete();
    });
    TestCluster.await(added.future().compose(v -> node.ready()));

    // The part of the cluster that kept them could not see them close: this node has no such peers.
    Map<String, String> members = new LinkedHashMap<>();
    members.put("remote", "gateway-b");
    members.put("ghost-1", "self");
    members.put("ghost-2", "self");
    vertx.eventBus().send(Addresses.gatewaySignaling("self"),
        PresenceEvent.reconciliation("standup", 9, members, List.of(), Map.of(), List.of()).toJson());

    // A leave for the peer of another node would have come first.
    assertEquals(new LeaveRequest("standup", "ghost-1").toJson(), requests.poll(10, TimeUnit.SECONDS));
    assertEquals(new LeaveRequest("standup", "ghost-2").toJson(), requests.poll(10, TimeUnit.SECONDS));
  }
}
