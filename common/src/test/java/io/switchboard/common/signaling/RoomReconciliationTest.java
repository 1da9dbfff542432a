package io.switchboard.common.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation of a room that a merge joined from two copies, as the member owning the room
 * runs it: a plain map entry stands for the room's entry in the cluster map.
 */
class RoomReconciliationTest {

  private static final long NOW = 1_000;

  /** A room as the merge policy leaves it: members in join order, users, join versions, marked. */
  private static Room merged(String... peerNodePairs) {
    Map<String, String> members = new LinkedHashMap<>();
    Map<String, String> users = new LinkedHashMap<>();
    Map<String, Long> joins = new LinkedHashMap<>();
    for (int i = 0; i < peerNodePairs.length; i += 2) {
      members.put(peerNodePairs[i], peerNodePairs[i + 1]);
      users.put(peerNodePairs[i], "u-" + peerNodePairs[i]);
      joins.put(peerNodePairs[i], 1_000_000L + i);
    }
    return new Room(2_000_000, members, users, joins, true);
  }

  private static Map.Entry<String, Room> entry(Room room) {
    return new AbstractMap.SimpleEntry<>("standup", room);
  }

  @Test
  void theLatestJoinersOverCapacityAreRemovedAndReported() {
    Map.Entry<String, Room> entry = entry(merged("alice", "gw-a", "bob", "gw-b", "carol", "gw-a", "dave", "gw-b"));
    RoomChange change = new ReconcileRoom(2, NOW).process(entry);

    assertEquals(RoomChange.Outcome.RECONCILED, change.outcome());
    assertEquals(List.of("alice", "bob"), List.copyOf(change.members().keySet()));
    assertEquals(Map.of("carol", "gw-a", "dave", "gw-b"), change.overCapacity());
    assertEquals(Map.of("carol", "gw-a", "dave", "gw-b"), change.removed());
    assertEquals(Map.of("alice", "u-alice", "bob", "u-bob"), change.users());
    assertEquals(2_000_001, change.version());

    Room room = entry.getValue();
    assertEquals(List.of("alice", "bob"), List.copyOf(room.members().keySet()));
    assertEquals(change.version(), room.version());
    assertFalse(room.merged(), "the mark is cleared with the reconciliation");
    assertEquals(Set.of("alice", "bob"), room.joins().keySet());
  }

  @Test
  void aMergedRoomWithinCapacityKeepsEveryMemberAndIsStillAnnounced() {
    Map.Entry<String, Room> entry = entry(merged("alice", "gw-a", "bob", "gw-b"));
    RoomChange change = new ReconcileRoom(2, NOW).process(entry);
    assertEquals(RoomChange.Outcome.RECONCILED, change.outcome());
    assertEquals(Map.of("alice", "gw-a", "bob", "gw-b"), change.members());
    assertEquals(Map.of(), change.removed());
    assertEquals(Map.of(), change.overCapacity());
  }

  @Test
  void membersOfGatewaysNotBackYetAreKept() {
    // A side's members join the merged cluster one by one: a gateway missing now is not dead.
    Map.Entry<String, Room> entry = entry(merged("alice", "gw-a", "zed", "gw-not-back-yet"));
    RoomChange change = new ReconcileRoom(2, NOW).process(entry);
    assertEquals(Map.of("alice", "gw-a", "zed", "gw-not-back-yet"), change.members());
    assertEquals(Map.of(), change.removed());
  }

  @Test
  void aRoomIsReconciledOnceHoweverManyInstancesSweep() {
    Map.Entry<String, Room> entry = entry(merged("alice", "gw-a", "bob", "gw-b", "carol", "gw-a"));
    assertEquals(RoomChange.Outcome.RECONCILED, new ReconcileRoom(2, NOW).process(entry).outcome());
    Room reconciled = entry.getValue();
    assertNull(new ReconcileRoom(2, NOW).process(entry), "a second sweep finds nothing to do");
    assertEquals(reconciled, entry.getValue());
  }

  @Test
  void aRoomNotMergedIsLeftAlone() {
    Room plain = new Room(42, Map.of("alice", "gw-a", "bob", "gw-b", "carol", "gw-a"));
    Map.Entry<String, Room> entry = entry(plain);
    assertNull(new ReconcileRoom(2, NOW).process(entry));
    assertEquals(plain, entry.getValue());
    assertNull(new ReconcileRoom(2, NOW).process(entry(null)));
  }

  @Test
  void aMergedRoomOverCapacityRefusesJoinsUntilItIsTrimmed() {
    Map.Entry<String, Room> entry = entry(merged("alice", "gw-a", "bob", "gw-b", "carol", "gw-a"));
    assertEquals(RoomChange.Outcome.FULL, new JoinRoom("erin", "gw-a", 2, NOW).process(entry).outcome());
    new ReconcileRoom(2, NOW).process(entry);
    assertEquals(RoomChange.Outcome.FULL, new JoinRoom("erin", "gw-a", 2, NOW).process(entry).outcome());
    new LeaveRoom("bob", NOW).process(entry);
    assertEquals(RoomChange.Outcome.JOINED, new JoinRoom("erin", "gw-a", 2, NOW).process(entry).outcome());
  }

  @Test
  void joinsAndLeavesBeforeTheReconciliationKeepTheMarkAndTheJoinVersions() {
    Map.Entry<String, Room> entry = entry(merged("alice", "gw-a", "bob", "gw-b"));
    long carolJoined = new JoinRoom("carol", "gw-a", 16, NOW).process(entry).version();
    new LeaveRoom("alice", NOW).process(entry);
    new EvictNodes(Set.of("gw-a", "gw-b"), NOW).process(entry);
    Room room = entry.getValue();
    assertTrue(room.merged());
    assertEquals(List.of("bob", "carol"), List.copyOf(room.members().keySet()));
    assertEquals(1_000_002L, room.joinVersion("bob"));
    assertEquals(carolJoined, room.joinVersion("carol"));
    assertEquals(0, room.joinVersion("alice"));
  }
}
