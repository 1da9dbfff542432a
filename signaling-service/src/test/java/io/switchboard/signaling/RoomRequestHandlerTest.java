package io.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * signaling-service's room requests as the gateways send them, on one cluster member of its own:
 * the rooms live in its Hazelcast map, and the presence events go to stand-in gateway inboxes.
 * Each test uses rooms of its own.
 */
class RoomRequestHandlerTest {

  private static final int CAPACITY = 2;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private static TestCluster cluster;
  private static EventBus bus;
  private static final BlockingQueue<JsonObject> gatewayA = new LinkedBlockingQueue<>();
  private static final BlockingQueue<JsonObject> gatewayB = new LinkedBlockingQueue<>();

  @BeforeAll
  static void oneMember() {
    cluster = new TestCluster();
    ClusterNode node = cluster.startNode();
    bus = node.vertx().eventBus();
    RoomRegistry registry = new RoomRegistry(node.vertx().getOrCreateContext(), node.hazelcast(), CAPACITY);
    TestCluster.await(Future.all(
        bus.consumer(Addresses.SIGNALING_ROOMS, new RoomRequestHandler(registry, new PresenceNotifier(bus)))
            .completion(),
        bus.<JsonObject>consumer(Addresses.gatewaySignaling("gw-a"), m -> gatewayA.add(m.body())).completion(),
        bus.<JsonObject>consumer(Addresses.gatewaySignaling("gw-b"), m -> gatewayB.add(m.body())).completion()));
  }

  @AfterAll
  static void close() {
    cluster.close();
  }

  private static JsonObject request(JsonObject body) {
    return TestCluster.await(bus.<JsonObject>request(Addresses.SIGNALING_ROOMS, body, TIMEOUT)
        .map(Message::body));
  }

  private static ReplyException refusal(JsonObject body) {
    Throwable failure = TestCluster.await(bus.request(Addresses.SIGNALING_ROOMS, body, TIMEOUT)
        .map(reply -> (Throwable) null).otherwise(err -> err));
    return assertInstanceOf(ReplyException.class, failure);
  }

  private static JsonObject join(String room, String peer, String node) {
    return request(SignalingProtocol.joinRequest(room, peer, node, null));
  }

  private static JsonObject next(BlockingQueue<JsonObject> inbox) throws InterruptedException {
    JsonObject event = inbox.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "no presence event");
    return event;
  }

  @Test
  void aJoinAnswersTheMembersAndTellsTheOtherMembersGateways() throws InterruptedException {
    JsonObject first = join("standup", "alice", "gw-a");
    JsonObject second = join("standup", "bob", "gw-b");
    assertEquals(new JsonObject().put("alice", "gw-a").put("bob", "gw-b"), second.getJsonObject("members"));
    assertTrue(second.getLong("version") > first.getLong("version"));
    assertEquals(SignalingProtocol.presence("standup", second.getLong("version"), Map.of("bob", "gw-b"),
        List.of()), next(gatewayA));
    // bob's own gateway hears of alice's leave first: it was not told of bob's join.
    JsonObject left = request(SignalingProtocol.leaveRequest("standup", "alice"));
    assertEquals(new JsonObject().put("room", "standup").put("removed", true), left);
    JsonObject event = next(gatewayB);
    assertEquals(new JsonArray().add("alice"), event.getJsonArray("left"));
    assertTrue(event.getLong("version") > second.getLong("version"));
  }

  @Test
  void aJoinOfAFullRoomIsRefusedWithRoomFull() {
    join("full", "alice", "gw-x");
    join("full", "bob", "gw-x");
    ReplyException refused = refusal(SignalingProtocol.joinRequest("full", "carol", "gw-x", null));
    assertEquals(ErrorCode.ROOM_FULL.busCode(), refused.failureCode());
    assertEquals("Room full is full (2 peers)", refused.getMessage());
    assertEquals(new JsonObject().put("room", "full").put("peers", new JsonArray().add("alice").add("bob")),
        request(new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOM).put("room", "full")));
  }

  @Test
  void aJoinThatLeavesAnotherRoomMovesThePeer() {
    join("from", "alice", "gw-x");
    JsonObject moved = request(SignalingProtocol.joinRequest("to", "alice", "gw-x", "from"));
    assertEquals("from", moved.getString("left"));
    assertEquals(new JsonObject().put("alice", "gw-x"), moved.getJsonObject("members"));
    assertEquals(new JsonObject().put("room", "from").put("peers", new JsonArray()),
        request(new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOM).put("room", "from")));
  }

  @Test
  void theRoomListingCountsTheMembersOfEachRoom() {
    join("listed-1", "alice", "gw-x");
    join("listed-2", "bob", "gw-x");
    join("listed-2", "carol", "gw-x");
    JsonArray rooms = request(new JsonObject().put(SignalingProtocol.OP, SignalingProtocol.OP_ROOMS))
        .getJsonArray("rooms");
    assertTrue(rooms.contains(new JsonObject().put("room", "listed-1").put("peers", 1)));
    assertTrue(rooms.contains(new JsonObject().put("room", "listed-2").put("peers", 2)));
  }

  @Test
  void aLeaveOfANonMemberRemovesNobody() {
    assertEquals(new JsonObject().put("room", "empty").put("removed", false),
        request(SignalingProtocol.leaveRequest("empty", "nobody")));
  }

  @Test
  void malformedRequestsAreRefusedWithTheirCode() {
    assertEquals(ErrorCode.BAD_REQUEST.busCode(), refusal(new JsonObject()).failureCode());
    assertEquals(ErrorCode.UNKNOWN_TYPE.busCode(),
        refusal(new JsonObject().put(SignalingProtocol.OP, "dance")).failureCode());
    assertEquals(ErrorCode.BAD_REQUEST.busCode(),
        refusal(SignalingProtocol.joinRequest("bad room!", "alice", "gw-x", null)).failureCode());
  }
}
