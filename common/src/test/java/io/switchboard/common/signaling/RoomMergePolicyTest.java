package io.switchboard.common.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.spi.merge.MergingValue;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a room becomes when the two sides of a split cluster merge. The copies are built the way
 * each side builds them, with the room processors, on the clock each side's signaling instance had.
 */
class RoomMergePolicyTest {

  private static final int CAPACITY = 16;
  private final RoomMergePolicy policy = new RoomMergePolicy();

  /** A room entry a side changes with its processors. */
  private static final class Side {
    private final Map.Entry<String, Room> entry;

    Side(Room start) {
      entry = new AbstractMap.SimpleEntry<>("standup", start);
    }

    Side join(String peer, String node, long nowMillis) {
      new JoinRoom(peer, node, "u-" + peer, CAPACITY, nowMillis).process(entry);
      return this;
    }

    Side leave(String peer, long nowMillis) {
      new LeaveRoom(peer, nowMillis).process(entry);
      return this;
    }

    Room room() {
      return entry.getValue();
    }
  }

  private static MergingValue<Room> value(Room room) {
    return new MergingValue<>() {
      @Override
      public Room getValue() {
        return room;
      }

      @Override
      public Object getRawValue() {
        return room;
      }
    };
  }

  private static List<String> peers(Object room) {
    return List.copyOf(((Room) room).members().keySet());
  }

  @Test
  void theMergedRoomHoldsTheMembersOfBothSidesInJoinOrderWhicheverSideMergesIn() {
    Room beforeSplit = new Side(null).join("alice", "gw-a", 1_000).join("bob", "gw-b", 1_001).room();
    Room sideA = new Side(beforeSplit).join("carol", "gw-a", 2_000).join("erin", "gw-a", 4_000).room();
    Room sideB = new Side(beforeSplit).join("dave", "gw-b", 3_000).room();

    for (Object merged : List.of(policy.merge(value(sideA), value(sideB)), policy.merge(value(sideB), value(sideA)))) {
      Room room = (Room) merged;
      assertEquals(List.of("alice", "bob", "carol", "dave", "erin"), peers(room));
      assertEquals("gw-b", room.members().get("dave"));
      assertEquals("u-dave", room.users().get("dave"));
      assertEquals("u-carol", room.users().get("carol"));
      assertTrue(room.merged(), "the merged room waits for its reconciliation");
      assertEquals(Math.max(sideA.version(), sideB.version()), room.version());
    }
  }

  @Test
  void aMemberTheOtherSideEvictedIsKept() {
    Room beforeSplit = new Side(null).join("alice", "gw-a", 1_000).join("bob", "gw-b", 1_001).room();
    // Each side evicted the other side's gateway, which it could no longer see.
    Room sideA = evict(beforeSplit, "gw-a");
    Room sideB = evict(beforeSplit, "gw-b");

    Room merged = (Room) policy.merge(value(sideB), value(sideA));
    assertEquals(List.of("alice", "bob"), peers(merged));
    assertTrue(merged.merged());
  }

  private static Room evict(Room room, String liveNode) {
    Map.Entry<String, Room> entry = new AbstractMap.SimpleEntry<>("standup", room);
    new EvictNodes(Set.of(liveNode), 1_500).process(entry);
    return entry.getValue();
  }

  @Test
  void copiesWithTheSameMembersKeepTheNewerOneUnmarked() {
    Room beforeSplit = new Side(null).join("alice", "gw-a", 1_000).room();
    Room same = new Room(beforeSplit.version() + 5, beforeSplit.members(), beforeSplit.users(),
        beforeSplit.joins(), false);
    assertSame(same, policy.merge(value(same), value(beforeSplit)));
    assertSame(same, policy.merge(value(beforeSplit), value(same)));
    assertFalse(((Room) policy.merge(value(same), value(beforeSplit))).merged());
  }

  @Test
  void aRoomOnOneSideOnlyIsKeptAsItIs() {
    Room only = new Side(null).join("alice", "gw-a", 1_000).room();
    assertSame(only, policy.merge(value(only), null));
    assertSame(only, policy.merge(null, value(only)));
    assertNull(policy.merge(null, null));
  }

  @Test
  void membersWithoutJoinVersionsComeFirstInTheExistingCopysOrder() {
    // Rooms written before join versions were recorded.
    Room existing = new Room(10, Map.of("alice", "gw-a"));
    Room merging = new Side(new Room(10, Map.of("bob", "gw-b"))).join("carol", "gw-b", 2_000).room();
    assertEquals(List.of("alice", "bob", "carol"), peers(policy.merge(value(merging), value(existing))));
  }

  @Test
  void aRoomMergedAgainBeforeItsReconciliationStaysMarked() {
    Room beforeSplit = new Side(null).join("alice", "gw-a", 1_000).room();
    Room merged = (Room) policy.merge(value(new Side(beforeSplit).join("bob", "gw-b", 2_000).room()),
        value(beforeSplit));
    // A third part of the cluster, which kept the room as it was before the split, merges in.
    Room again = (Room) policy.merge(value(beforeSplit), value(merged));
    assertEquals(List.of("alice", "bob"), peers(again));
    assertTrue(again.merged());
  }
}
