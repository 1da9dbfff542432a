package io.switchboard.common.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The room changes as the member owning a room's partition runs them: each processor is called on
 * a plain map entry, which stands for the room's entry in the cluster map.
 */
class RoomChangesTest {

  private static final long NOW = 5_000;

  /** A room entry: the value the processor sets is what the cluster map would store. */
  private static Map.Entry<String, Room> entry(Room room) {
    return new AbstractMap.SimpleEntry<>("standup", room);
  }

  private static Room room(long version, String... peerNodePairs) {
    Map<String, String> members = new LinkedHashMap<>();
    for (int i = 0; i < peerNodePairs.length; i += 2) {
      members.put(peerNodePairs[i], peerNodePairs[i + 1]);
    }
    return new Room(version, members);
  }

  @Test
  void theFirstJoinCreatesTheRoomAtTheCallersClock() {
    Map.Entry<String, Room> entry = entry(null);
    RoomChange change = new JoinRoom("alice", "gw-a", 2, NOW).process(entry);
    assertEquals(new RoomChange(RoomChange.Outcome.JOINED, NOW * 1000, Map.of("alice", "gw-a"), Map.of()),
        change);
    assertEquals(new Room(NOW * 1000, Map.of("alice", "gw-a"), Map.of(), Map.of("alice", NOW * 1000), false),
        entry.getValue());
  }

  @Test
  void aJoinAddsThePeerAfterTheOthersAndRaisesTheVersion() {
    Map.Entry<String, Room> entry = entry(room(NOW * 1000 + 7, "alice", "gw-a"));
    RoomChange change = new JoinRoom("bob", "gw-b", 2, NOW).process(entry);
    assertEquals(RoomChange.Outcome.JOINED, change.outcome());
    assertEquals(NOW * 1000 + 8, change.version());
    assertEquals(NOW * 1000 + 7, change.previous(), "the version it followed");
    assertEquals(List.of("alice", "bob"), List.copyOf(entry.getValue().members().keySet()));
  }

  @Test
  void aJoinOfAMemberChangesNothing() {
    Room before = room(42, "alice", "gw-a");
    Map.Entry<String, Room> entry = entry(before);
    RoomChange change = new JoinRoom("alice", "gw-b", 2, NOW).process(entry);
    assertEquals(new RoomChange(RoomChange.Outcome.ALREADY_MEMBER, 42, Map.of("alice", "gw-a"), Map.of()),
        change);
    assertEquals(before, entry.getValue());
  }

  @Test
  void aJoinOfAFullRoomIsRefusedAndChangesNothing() {
    Room before = room(42, "alice", "gw-a", "bob", "gw-b");
    Map.Entry<String, Room> entry = entry(before);
    RoomChange change = new JoinRoom("carol", "gw-a", 2, NOW).process(entry);
    assertEquals(RoomChange.Outcome.FULL, change.outcome());
    assertEquals(before, entry.getValue());
  }

  @Test
  void aLeaveRemovesThePeerAndReportsItsNode() {
    Map.Entry<String, Room> entry = entry(room(NOW * 1000 + 3, "alice", "gw-a", "bob", "gw-b"));
    RoomChange change = new LeaveRoom("alice", NOW).process(entry);
    assertEquals(new RoomChange(RoomChange.Outcome.REMOVED, NOW * 1000 + 4, Map.of("bob", "gw-b"),
        Map.of("alice", "gw-a"), Map.of(), Map.of(), NOW * 1000 + 3), change);
    assertEquals(room(NOW * 1000 + 4, "bob", "gw-b"), entry.getValue());
  }

  @Test
  void theLastLeaveRemovesTheRoom() {
    Map.Entry<String, Room> entry = entry(room(42, "alice", "gw-a"));
    RoomChange change = new LeaveRoom("alice", NOW).process(entry);
    assertEquals(RoomChange.Outcome.REMOVED, change.outcome());
    assertNull(entry.getValue());
  }

  @Test
  void aLeaveOfANonMemberChangesNothing() {
    Room before = room(42, "alice", "gw-a");
    Map.Entry<String, Room> entry = entry(before);
    assertEquals(RoomChange.Outcome.UNCHANGED, new LeaveRoom("bob", NOW).process(entry).outcome());
    assertEquals(before, entry.getValue());
    assertEquals(new RoomChange(RoomChange.Outcome.UNCHANGED, 0, Map.of(), Map.of()),
        new LeaveRoom("bob", NOW).process(entry(null)));
  }

  @Test
  void anEvictionRemovesThePeersOfNodesNoLongerInTheCluster() {
    Map.Entry<String, Room> entry = entry(room(NOW * 1000, "alice", "gw-a", "bob", "gw-b", "carol", "gw-b"));
    RoomChange change = new EvictNodes(Set.of("gw-a"), NOW).process(entry);
    assertEquals(new RoomChange(RoomChange.Outcome.REMOVED, NOW * 1000 + 1, Map.of("alice", "gw-a"),
        Map.of("bob", "gw-b", "carol", "gw-b"), Map.of(), Map.of(), NOW * 1000), change);
    assertEquals(room(NOW * 1000 + 1, "alice", "gw-a"), entry.getValue());
  }

  @Test
  void anEvictionOfEveryMemberRemovesTheRoom() {
    Map.Entry<String, Room> entry = entry(room(42, "alice", "gw-b"));
    assertEquals(RoomChange.Outcome.REMOVED, new EvictNodes(Set.of("gw-a"), NOW).process(entry).outcome());
    assertNull(entry.getValue());
  }

  @Test
  void anEvictionThatRemovesNobodyReportsNothing() {
    Room before = room(42, "alice", "gw-a");
    Map.Entry<String, Room> entry = entry(before);
    assertNull(new EvictNodes(Set.of("gw-a"), NOW).process(entry));
    assertEquals(before, entry.getValue());
    assertNull(new EvictNodes(Set.of("gw-a"), NOW).process(entry(null)));
  }

  @Test
  void aJoinStoresThePeersUserBesideItsNodeAndReportsEveryMembersUser() {
    Map.Entry<String, Room> entry = entry(null);
    new JoinRoom("alice", "gw-a", "u-alice", 4, NOW).process(entry);
    new JoinRoom("bob", "gw-b", null, 4, NOW).process(entry);
    RoomChange change = new JoinRoom("carol", "gw-b", "u-carol", 4, NOW).process(entry);
    Map<String, String> users = Map.of("alice", "u-alice", "carol", "u-carol");
    assertEquals(users, change.users());
    assertEquals(users, entry.getValue().users());
    assertEquals(List.of("alice", "bob", "carol"), List.copyOf(entry.getValue().members().keySet()));
    assertEquals(users, new JoinRoom("alice", "gw-a", "u-alice", 4, NOW).process(entry).users());
  }

  @Test
  void leavesAndEvictionsTakeTheUsersOfTheMembersTheyRemove() {
    Map.Entry<String, Room> entry = entry(null);
    new JoinRoom("alice", "gw-a", "u-alice", 4, NOW).process(entry);
    new JoinRoom("bob", "gw-b", "u-bob", 4, NOW).process(entry);
    new JoinRoom("carol", "gw-c", "u-carol", 4, NOW).process(entry);
    assertEquals(Map.of("bob", "u-bob", "carol", "u-carol"),
        new LeaveRoom("alice", NOW).process(entry).users());
    RoomChange evicted = new EvictNodes(Set.of("gw-c"), NOW).process(entry);
    assertEquals(Map.of("carol", "u-carol"), evicted.users());
    assertEquals(Map.of("carol", "u-carol"), entry.getValue().users());
  }

  @Test
  void aRoomCreatedAgainStartsAboveEveryVersionOfItsEarlierIncarnation() {
    // Versions are microseconds of the caller's clock; a busy room can run ahead of that clock.
    assertEquals(NOW * 1000, RoomVersions.next(null, NOW));
    assertEquals(NOW * 1000 + 1, RoomVersions.next(room(NOW * 1000, "a", "n"), NOW));
    assertEquals(NOW * 1000 + 50, RoomVersions.next(room(NOW * 1000 + 49, "a", "n"), NOW - 1));
    assertEquals((NOW + 1) * 1000, RoomVersions.next(room(NOW * 1000 + 49, "a", "n"), NOW + 1));
  }
}
