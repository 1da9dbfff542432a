package io.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.JoinRequest;
import io.switchboard.common.signaling.LeaveReply;
import io.switchboard.common.signaling.LeaveRequest;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.signaling.RoomListRequest;
import io.switchboard.common.signaling.RoomPeers;
import io.switchboard.common.signaling.RoomPeersRequest;
import io.switchboard.common.signaling.RoomSummary;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
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
  /** The inbox of a gateway whose peers have users. */
  private static final BlockingQueue<JsonObject> gatewayU = new LinkedBlockingQueue<>();

  @BeforeAll
  static void oneMember() {
    cluster = new TestCluster();
    ClusterNode node = cluster.startNode();
    bus = node.vertx().eventBus();
    RoomRegistry registry = new RoomRegistry(node.vertx().getOrCreateContext(), node.hazelcast(), CAPACITY);
    TestCluster.await(Future.all(
        bus.consumer(Addresses.SIGNALING_ROOMS, new RoomRequestHandler(registry, new PresenceNotifier(node.vertx())))
            .completion(),
        bus.<JsonObject>consumer(Addresses.gatewaySignaling("gw-a"), m -> gatewayA.add(m.body())).completion(),
        bus.<JsonObject>consumer(Addresses.gatewaySignaling("gw-b"), m -> gatewayB.add(m.body())).completion(),
        bus.<JsonObject>consumer(Addresses.gatewaySignaling("gw-u"), m -> gatewayU.add(m.body())).completion()));
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

  private static JoinReply join(String room, String peer, String node) {
    return JoinReply.fromJson(request(new JoinRequest(room, peer, node, null).toJson()));
  }

  private static RoomPeers peers(String room) {
    return RoomPeers.fromJson(request(new RoomPeersRequest(room).toJson()));
  }

  private static PresenceEvent next(BlockingQueue<JsonObject> inbox) throws InterruptedException {
    JsonObject event = inbox.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "no presence event");
    return PresenceEvent.fromJson(event);
  }

  @Test
  void aJoinAnswersTheMembersAndTellsTheOtherMembersGateways() throws InterruptedException {
    JoinReply first = join("standup", "alice", "gw-a");
    JoinReply second = join("standup", "bob", "gw-b");
    assertEquals(List.of("alice", "bob"), List.copyOf(second.members().keySet()));
    assertEquals(Map.of("alice", "gw-a", "bob", "gw-b"), second.members());
    assertTrue(second.version() > first.version());
    // The event names the version it followed, alice's join, for gateways to order events by.
    assertEquals(PresenceEvent.joined("standup", second.version(), first.version(), "bob", "gw-b", null),
        next(gatewayA));
    // bob's own gateway hears of alice's leave first: it was not told of bob's join.
    JsonObject left = request(new LeaveRequest("standup", "alice").toJson());
    assertEquals(new LeaveReply("standup", true), LeaveReply.fromJson(left));
    PresenceEvent event = next(gatewayB);
    assertEquals(List.of("alice"), event.left());
    assertTrue(event.version() > second.version());
    assertEquals(second.version(), event.previous());
  }

  @Test
  void membersUsersComeWithTheJoinReplyAndTheJoinedEvent() throws InterruptedException {
    JoinReply first = JoinReply.fromJson(request(new JoinRequest("users", "alice", "gw-u", null, "u-alice").toJson()));
    JoinReply reply = JoinReply.fromJson(request(new JoinRequest("users", "bob", "gw-x", null, "u-bob").toJson()));
    assertEquals(Map.of("alice", "u-alice", "bob", "u-bob"), reply.users());
    assertEquals(PresenceEvent.joined("users", reply.version(), first.version(), "bob", "gw-x", "u-bob"),
        next(gatewayU));
    JoinReply moved = JoinReply.fromJson(request(new JoinRequest("users-2", "bob", "gw-x", "users", "u-bob")
        .toJson()));
    assertEquals(Map.of("bob", "u-bob"), moved.users());
    assertEquals(List.of("bob"), next(gatewayU).left());
  }

  @Test
  void aJoinOfAFullRoomIsRefusedWithRoomFull() {
    join("full", "alice", "gw-x");
    join("full", "bob", "gw-x");
    ReplyException refused = refusal(new JoinRequest("full", "carol", "gw-x", null).toJson());
    assertEquals(ErrorCode.ROOM_FULL.busCode(), refused.failureCode());
    assertEquals("Room full is full (2 peers)", refused.getMessage());
    assertEquals(new RoomPeers("full", List.of("alice", "bob")), peers("full"));
  }

  @Test
  void aJoinThatLeavesAnotherRoomMovesThePeer() {
    join("from", "alice", "gw-x");
    JoinReply moved = JoinReply.fromJson(request(new JoinRequest("to", "alice", "gw-x", "from").toJson()));
    assertEquals("from", moved.left());
    assertEquals(Map.of("alice", "gw-x"), moved.members());
    assertEquals(new RoomPeers("from", List.of()), peers("from"));
  }

  @Test
  void theRoomListingCountsTheMembersOfEachRoom() {
    join("listed-1", "alice", "gw-x");
    join("listed-2", "bob", "gw-x");
    join("listed-2", "carol", "gw-x");
    List<RoomSummary> rooms = RoomList.fromJson(request(new RoomListRequest().toJson())).rooms();
    assertTrue(rooms.contains(new RoomSummary("listed-1", 1)));
    assertTrue(rooms.contains(new RoomSummary("listed-2", 2)));
  }

  @Test
  void aLeaveOfANonMemberRemovesNobody() {
    assertEquals(new LeaveReply("empty", false),
        LeaveReply.fromJson(request(new LeaveRequest("empty", "nobody").toJson())));
  }

  @Test
  void malformedRequestsAreRefusedWithTheirCode() {
    assertEquals(ErrorCode.BAD_REQUEST.busCode(), refusal(new JsonObject()).failureCode());
    assertEquals(ErrorCode.UNKNOWN_TYPE.busCode(),
        refusal(new JsonObject().put("op", "dance")).failureCode());
    assertEquals(ErrorCode.BAD_REQUEST.busCode(),
        refusal(new JoinRequest("bad room!", "alice", "gw-x", null).toJson()).failureCode());
    assertEquals(ErrorCode.BAD_REQUEST.busCode(),
        refusal(new JsonObject().put("op", "leave").put("room", "standup").put("peer", 7)).failureCode());
  }
}
