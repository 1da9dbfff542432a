package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A connection's view of its room under late and reordered presence events. */
class RoomPresenceTest {

  private static RoomPresence presence(long version, String... peers) {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("me", "node-me");
    for (String peer : peers) {
      members.put(peer, "node-" + peer);
    }
    return new RoomPresence("room", "me", version, members);
  }

  @Test
  void snapshotListsOtherMembersInJoinOrder() {
    RoomPresence presence = presence(10, "b", "a");
    assertEquals(List.of("b", "a"), presence.peers());
    assertEquals("node-a", presence.nodeOf("a"));
    assertNull(presence.nodeOf("me"));
  }

  @Test
  void eventsOlderThanTheSnapshotAreIgnored() {
    RoomPresence presence = presence(10, "a");
    assertFalse(presence.joined("a", "node-a", 9));
    assertFalse(presence.left("a", 10));
    assertEquals(List.of("a"), presence.peers());
    assertFalse(presence.joined("x", "node-x", 8));
    assertNull(presence.nodeOf("x"));
  }

  @Test
  void newerEventsAreAppliedAndAnnouncedOnce() {
    RoomPresence presence = presence(10);
    assertTrue(presence.joined("a", "node-a", 11));
    assertFalse(presence.joined("a", "node-a", 11));
    assertTrue(presence.left("a", 12));
    assertFalse(presence.left("a", 13));
  }

  @Test
  void aLateJoinDoesNotResurrectAPeerThatLeft() {
    RoomPresence presence = presence(10);
    assertFalse(presence.left("a", 12));
    assertFalse(presence.joined("a", "node-a", 11));
    assertNull(presence.nodeOf("a"));
  }

  @Test
  void ownEventsAreIgnored() {
    RoomPresence presence = presence(10);
    assertFalse(presence.joined("me", "node-me", 11));
    assertFalse(presence.left("me", 12));
  }

  @Test
  void aLostNodesPeersAreGoneAtOnceAndNoLaterEventBringsThemBack() {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("me", "node-me");
    members.put("a", "node-dead");
    members.put("b", "node-live");
    members.put("c", "node-dead");
    RoomPresence presence = new RoomPresence("room", "me", 10, members);
    assertEquals(List.of("a", "c"), presence.nodeLost("node-dead"));
    assertEquals(List.of("b"), presence.peers());
    // signaling-service's eviction of the same peers follows, and a join sent before it may be late.
    assertFalse(presence.left("a", 20));
    assertFalse(presence.joined("c", "node-dead", 11));
    assertNull(presence.nodeOf("c"));
    assertEquals(List.of(), presence.nodeLost("node-dead"));
  }

  @Test
  void aLostNodesPeerComesBackByAJoinNewerThanItsEvictionOnly() {
    RoomPresence presence = presence(10, "a");
    assertEquals(List.of("a"), presence.nodeLost("node-a"));
    assertFalse(presence.joined("a", "node-a", 15), "a join from before the loss, late");
    // signaling-service evicts it at 20: announced already, so not again.
    assertFalse(presence.left("a", 20));
    assertFalse(presence.joined("a", "node-a", 19), "older than the eviction");
    assertEquals(List.of(), presence.peers());

    // The node was alive after all, and its peer joined again after the eviction.
    assertTrue(presence.joined("a", "node-a", 25));
    assertEquals(List.of("a"), presence.peers());
    assertFalse(presence.joined("a", "node-a", 26), "announced once");
  }

  @Test
  void aListingOfTheRoomBringsBackTheLostPeersItListsWhateverTheirVersions() {
    RoomPresence presence = presence(10, "a", "b");
    assertTrue(presence.joined("c", "node-c", 30));
    assertEquals(List.of("a"), presence.nodeLost("node-a"));
    assertEquals(List.of("b"), presence.nodeLost("node-b"));
    assertTrue(presence.lostOn("node-a"));
    // The room has not changed since version 20: older than what the view knew at the loss.
    presence.relist(List.of("a", "c"), 20);
    assertTrue(presence.rejoined("a", "node-a", null, 20));
    assertFalse(presence.lostOn("node-a"));
    assertFalse(presence.rejoined("b", "node-b", null, 20), "b is not listed: still lost");
    assertTrue(presence.lostOn("node-b"));
    assertEquals(List.of("c", "a"), presence.peers());
  }

  @Test
  void usersFollowTheirMembersAndOutliveTheirDepartureForItsAnnouncement() {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("me", "node-me");
    members.put("a", "node-a");
    members.put("b", "node-dead");
    RoomPresence presence = new RoomPresence("room", "me", 10, members, Map.of("me", "u-me", "a", "u-a", "b", "u-b"));
    assertEquals(Map.of("a", "u-a", "b", "u-b"), presence.users());
    assertTrue(presence.joined("c", "node-c", "u-c", 11));
    assertEquals(List.of("a", "b", "c"), List.copyOf(presence.users().keySet()));
    assertTrue(presence.left("a", 12));
    assertEquals("u-a", presence.userOf("a"));
    assertEquals(List.of("b"), presence.nodeLost("node-dead"));
    assertEquals("u-b", presence.userOf("b"));
    assertEquals(Map.of("c", "u-c"), presence.users());
  }

  @Test
  void aReconciliationAfterAMergeBringsBackThePeersOfANodeThatWasCutOff() {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("me", "node-me");
    members.put("a", "node-cut-off");
    RoomPresence presence = new RoomPresence("room", "me", 10, members, Map.of("a", "u-a"));
    assertTrue(presence.joined("b", "node-b", 12));
    assertEquals(List.of("a"), presence.nodeLost("node-cut-off"));
    assertFalse(presence.joined("a", "node-cut-off", 20), "a plain event does not bring it back");

    assertTrue(presence.rejoined("a", "node-cut-off", "u-a", 30));
    assertEquals(List.of("b", "a"), presence.peers());
    assertEquals("node-cut-off", presence.nodeOf("a"));
    assertEquals("u-a", presence.userOf("a"));
    assertFalse(presence.rejoined("a", "node-cut-off", "u-a", 30), "announced once");
    assertFalse(presence.rejoined("b", "node-b", null, 31), "a member already in the view is not announced");
    assertFalse(presence.rejoined("me", "node-me", null, 32));
  }

  @Test
  void aReconciliationOlderThanWhatThisViewKnowsOfAPeerChangesNothing() {
    RoomPresence presence = presence(10, "a");
    assertTrue(presence.left("a", 40));
    assertFalse(presence.rejoined("a", "node-a", null, 30));
    assertEquals(List.of(), presence.peers());
  }

  @Test
  void theMembersAReconciliationDoesNotListAreFoundInJoinOrder() {
    RoomPresence presence = presence(10, "a", "b", "c");
    assertEquals(List.of("a", "c"), presence.absentFrom(java.util.Set.of("b", "me")));
  }
}
