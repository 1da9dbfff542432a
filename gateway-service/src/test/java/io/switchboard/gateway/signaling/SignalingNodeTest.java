package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import java.util.List;
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
}
