package io.switchboard.common.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signaling's control requests, their replies and the presence events as they travel on the bus
 * between gateways and signaling-service: the exact JSON each side has always sent, and what a
 * receiver reads from a message of the wrong shape.
 */
class SignalingContractTest {

  /** Decoded from its encoding, as a message from another member arrives. */
  private static JsonObject overTheWire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  private static Map<String, String> aliceThenBob() {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("alice", "gw-a");
    members.put("bob", "gw-b");
    return members;
  }

  @Test
  void aJoinRequestTravelsWithTheFieldNamesSignalingReads() {
    JoinRequest stay = new JoinRequest("standup", "alice", "gw-a", null);
    assertEquals("{\"op\":\"join\",\"room\":\"standup\",\"peer\":\"alice\",\"node\":\"gw-a\","
        + "\"leave\":null}", stay.toJson().encode());
    assertEquals(stay, JoinRequest.fromJson(overTheWire(stay.toJson())));
    JoinRequest move = new JoinRequest("standup", "alice", "gw-a", "lobby");
    assertEquals("{\"op\":\"join\",\"room\":\"standup\",\"peer\":\"alice\",\"node\":\"gw-a\","
        + "\"leave\":\"lobby\"}", move.toJson().encode());
    assertEquals(move, JoinRequest.fromJson(overTheWire(move.toJson())));
  }

  @Test
  void aJoinReplyListsTheMembersInJoinOrderAndTheRoomItLeft() {
    JoinReply reply = new JoinReply("standup", 7, aliceThenBob(), null);
    assertEquals("{\"room\":\"standup\",\"version\":7,\"members\":{\"alice\":\"gw-a\",\"bob\":\"gw-b\"}}",
        reply.toJson().encode());
    JoinReply read = JoinReply.fromJson(overTheWire(reply.toJson()));
    assertEquals(reply, read);
    assertEquals(List.of("alice", "bob"), List.copyOf(read.members().keySet()));
    assertFalse(read.leftAnother());
    JoinReply moved = new JoinReply("standup", 7, aliceThenBob(), "lobby");
    assertEquals("{\"room\":\"standup\",\"version\":7,\"members\":{\"alice\":\"gw-a\",\"bob\":\"gw-b\"},"
        + "\"left\":\"lobby\"}", moved.toJson().encode());
    assertTrue(JoinReply.fromJson(overTheWire(moved.toJson())).leftAnother());
  }

  @Test
  void theUsersOfMembersTravelBesideThemAndOnlyWhenThereAreAny() {
    JoinRequest request = new JoinRequest("standup", "alice", "gw-a", null, "alice@example.org");
    assertEquals("{\"op\":\"join\",\"room\":\"standup\",\"peer\":\"alice\",\"node\":\"gw-a\","
        + "\"leave\":null,\"user\":\"alice@example.org\"}", request.toJson().encode());
    assertEquals(request, JoinRequest.fromJson(overTheWire(request.toJson())));
    JoinReply reply = new JoinReply("standup", 7, aliceThenBob(), null, Map.of("alice", "u-alice"));
    assertEquals("{\"room\":\"standup\",\"version\":7,\"members\":{\"alice\":\"gw-a\",\"bob\":\"gw-b\"},"
        + "\"users\":{\"alice\":\"u-alice\"}}", reply.toJson().encode());
    assertEquals(reply, JoinReply.fromJson(overTheWire(reply.toJson())));
    PresenceEvent joined = PresenceEvent.joined("standup", 8, "carol", "gw-c", "u-carol");
    assertEquals("{\"kind\":\"presence\",\"room\":\"standup\",\"version\":8,\"joined\":{\"carol\":\"gw-c\"},"
        + "\"left\":[],\"users\":{\"carol\":\"u-carol\"}}", joined.toJson().encode());
    assertEquals(joined, PresenceEvent.fromJson(overTheWire(joined.toJson())));
    assertEquals(PresenceEvent.joined("standup", 8, "carol", "gw-c"),
        PresenceEvent.joined("standup", 8, "carol", "gw-c", null));
  }

  @Test
  void usersOfTheWrongShapeReadAsNone() {
    JsonObject wrong = new JsonObject("{\"op\":\"join\",\"room\":\"standup\",\"peer\":\"alice\","
        + "\"node\":\"gw-a\",\"user\":7,\"version\":1,\"members\":{},\"users\":{\"alice\":1,\"bob\":\"u-bob\"},"
        + "\"kind\":\"presence\",\"joined\":{},\"left\":[]}");
    assertNull(JoinRequest.fromJson(wrong).user());
    assertEquals(Map.of("bob", "u-bob"), JoinReply.fromJson(wrong).users());
    assertEquals(Map.of("bob", "u-bob"), PresenceEvent.fromJson(wrong).users());
    assertEquals(Map.of(), JoinReply.fromJson(new JsonObject().put("users", "alice")).users());
  }

  @Test
  void aLeaveAndItsReplyTravelWithTheFieldNamesEachSideReads() {
    LeaveRequest leave = new LeaveRequest("standup", "alice");
    assertEquals("{\"op\":\"leave\",\"room\":\"standup\",\"peer\":\"alice\"}", leave.toJson().encode());
    assertEquals(leave, LeaveRequest.fromJson(overTheWire(leave.toJson())));
    LeaveReply reply = new LeaveReply("standup", true);
    assertEquals("{\"room\":\"standup\",\"removed\":true}", reply.toJson().encode());
    assertEquals(reply, LeaveReply.fromJson(overTheWire(reply.toJson())));
  }

  @Test
  void aPresenceEventTravelsWithTheFieldNamesGatewaysRead() {
    PresenceEvent joined = PresenceEvent.joined("standup", 8, "carol", "gw-c");
    assertEquals("{\"kind\":\"presence\",\"room\":\"standup\",\"version\":8,\"joined\":{\"carol\":\"gw-c\"},"
        + "\"left\":[]}", joined.toJson().encode());
    assertEquals(joined, PresenceEvent.fromJson(overTheWire(joined.toJson())));
    PresenceEvent left = PresenceEvent.left("standup", 9, aliceThenBob().keySet());
    assertEquals("{\"kind\":\"presence\",\"room\":\"standup\",\"version\":9,\"joined\":{},"
        + "\"left\":[\"alice\",\"bob\"]}", left.toJson().encode());
    assertEquals(left, PresenceEvent.fromJson(overTheWire(left.toJson())));
  }

  @Test
  void aPresenceEventNamesTheVersionItsChangeFollowedWhenKnown() {
    PresenceEvent joined = PresenceEvent.joined("standup", 8, 7, "carol", "gw-c", null);
    assertEquals("{\"kind\":\"presence\",\"room\":\"standup\",\"version\":8,\"joined\":{\"carol\":\"gw-c\"},"
        + "\"left\":[],\"previous\":7}", joined.toJson().encode());
    assertEquals(joined, PresenceEvent.fromJson(overTheWire(joined.toJson())));
    PresenceEvent left = PresenceEvent.left("standup", 9, 8, List.of("alice"));
    assertEquals(8, PresenceEvent.fromJson(overTheWire(left.toJson())).previous());
    // An event of a release before the field reads as one whose previous version is not known.
    assertEquals(0, PresenceEvent.fromJson(overTheWire(PresenceEvent.left("standup", 9, List.of("alice"))
        .toJson())).previous());
  }

  @Test
  void theRoomListingsTravelAsGetApiRoomsAnswersThem() {
    assertEquals("{\"op\":\"rooms\"}", new RoomListRequest().toJson().encode());
    RoomList list = RoomList.of(Map.of("standup", 2));
    assertEquals("{\"rooms\":[{\"room\":\"standup\",\"peers\":2}]}", list.toJson().encode());
    assertEquals(list, RoomList.fromJson(overTheWire(list.toJson())));
    RoomPeersRequest request = new RoomPeersRequest("standup");
    assertEquals("{\"op\":\"room\",\"room\":\"standup\"}", request.toJson().encode());
    assertEquals(request, RoomPeersRequest.fromJson(overTheWire(request.toJson())));
    RoomPeers peers = new RoomPeers("standup", List.of("alice", "bob"));
    assertEquals("{\"room\":\"standup\",\"peers\":[\"alice\",\"bob\"]}", peers.toJson().encode());
    assertEquals(peers, RoomPeers.fromJson(overTheWire(peers.toJson())));
  }

  @Test
  void aRequestOfTheWrongShapeReadsAsOneToRefuse() {
    JsonObject wrong = new JsonObject().put("op", 1).put("room", 2).put("peer", true).put("node", List.of())
        .put("leave", 3);
    assertNull(SignalingProtocol.op(wrong));
    assertNull(SignalingProtocol.op(null));
    assertEquals(new JoinRequest(null, null, null, null), JoinRequest.fromJson(wrong));
    assertEquals(new LeaveRequest(null, null), LeaveRequest.fromJson(wrong));
    assertEquals(new RoomPeersRequest(null), RoomPeersRequest.fromJson(wrong));
  }

  @Test
  void aReplyOfTheWrongShapeReadsWithoutItsMalformedParts() {
    JsonObject reply = new JsonObject("{\"room\":\"standup\",\"version\":\"7\","
        + "\"members\":{\"alice\":\"gw-a\",\"bob\":2},\"left\":false,\"removed\":\"yes\","
        + "\"peers\":[\"alice\",3],\"rooms\":[{\"room\":\"standup\",\"peers\":2},{\"peers\":1},\"x\"]}");
    assertEquals(new JoinReply("standup", 0, Map.of("alice", "gw-a"), null), JoinReply.fromJson(reply));
    assertEquals(new LeaveReply("standup", false), LeaveReply.fromJson(reply));
    assertEquals(new RoomPeers("standup", List.of("alice")), RoomPeers.fromJson(reply));
    assertEquals(RoomList.of(Map.of("standup", 2)), RoomList.fromJson(reply));
  }

  @Test
  void aPresenceEventReadsAsMalformedWithoutItsKindOrRoom() {
    assertNull(PresenceEvent.fromJson(new JsonObject().put("room", "standup")));
    assertNull(PresenceEvent.fromJson(new JsonObject().put("kind", "relay").put("room", "standup")));
    assertNull(PresenceEvent.fromJson(new JsonObject().put("kind", "presence").put("room", 1)));
    assertEquals(new PresenceEvent("standup", 0, Map.of("carol", "gw-c"), List.of("alice")),
        PresenceEvent.fromJson(new JsonObject("{\"kind\":\"presence\",\"room\":\"standup\","
            + "\"joined\":{\"carol\":\"gw-c\",\"dave\":null},\"left\":[\"alice\",null,4]}")));
  }

  @Test
  void aReconciliationCarriesTheWholeRoomAndWhoWasRemovedOverCapacity() {
    PresenceEvent event = PresenceEvent.reconciliation("standup", 9, Map.of("alice", "gw-a"),
        List.of("carol"), Map.of("alice", "u-alice"), List.of("carol"));
    JsonObject json = event.toJson();
    assertEquals(new JsonObject("{\"kind\":\"presence\",\"room\":\"standup\",\"version\":9,"
        + "\"joined\":{\"alice\":\"gw-a\"},\"left\":[\"carol\"],\"users\":{\"alice\":\"u-alice\"},"
        + "\"reconciled\":true,\"overCapacity\":[\"carol\"]}"), json);
    assertEquals(event, PresenceEvent.fromJson(json));
  }

  @Test
  void aPlainPresenceEventLeavesTheReconciliationFieldsOutAndReadsAsNoReconciliation() {
    JsonObject json = PresenceEvent.left("standup", 3, List.of("alice")).toJson();
    assertFalse(json.containsKey("reconciled"));
    assertFalse(json.containsKey("overCapacity"));
    PresenceEvent read = PresenceEvent.fromJson(json.put("reconciled", "yes"));
    assertFalse(read.reconciled());
    assertEquals(List.of(), read.overCapacity());
  }
}
