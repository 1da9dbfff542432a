package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.signaling.PresenceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which one connection's presence events go on: the order of the room's changes,
 * whatever the order they arrive in, within a wait.
 */
class PresenceOrderTest {

  private static final String ROOM = "standup";

  private final InMemorySignaling timers = new InMemorySignaling(16);
  private final List<Long> passed = new ArrayList<>();
  private final PresenceOrder order = new PresenceOrder(timers, 1000, event -> passed.add(event.version()));

  @BeforeEach
  void joinAtVersion10() {
    order.start(10);
  }

  private static PresenceEvent change(long previous, long version) {
    return PresenceEvent.left(ROOM, version, previous, List.of("peer-" + version));
  }

  @Test
  void eventsInTheOrderOfTheirChangesGoOnAtOnce() {
    order.offer(change(10, 11));
    order.offer(change(11, 15));
    assertEquals(List.of(11L, 15L), passed);
    assertEquals(0, timers.pendingTimers());
  }

  @Test
  void anEventThatOvertookTheChangeBeforeItWaitsForThatChangeThenFollowsIt() {
    order.offer(change(11, 12));
    order.offer(change(12, 13));
    assertEquals(List.of(), passed);
    assertEquals(1, timers.pendingTimers(), "one wait for every event held");
    order.offer(change(10, 11));
    assertEquals(List.of(11L, 12L, 13L), passed);
    assertEquals(0, timers.pendingTimers(), "the wait is over");
  }

  @Test
  void whenTheWaitEndsEveryHeldEventGoesOnInVersionOrder() {
    order.offer(change(12, 13));
    order.offer(change(11, 12));
    timers.fireTimers();
    assertEquals(List.of(12L, 13L), passed);
    order.offer(change(13, 14));
    assertEquals(List.of(12L, 13L, 14L), passed);
  }

  @Test
  void anEventOlderThanWhatWentOnGoesOnAtOnceForTheViewToIgnore() {
    order.offer(change(5, 7));
    assertEquals(List.of(7L), passed);
  }

  @Test
  void eventsThatStandOnTheirOwnGoOnAtOnceAndReleaseWhatTheyAreNewerThan() {
    order.offer(change(12, 13));
    // From a member of a release before the previous version.
    order.offer(PresenceEvent.left(ROOM, 20, List.of("old")));
    assertEquals(List.of(20L, 13L), passed, "the held event is older than what went on now");
    order.offer(PresenceEvent.evicted(ROOM, 30, List.of("me")));
    order.offer(PresenceEvent.reconciliation(ROOM, 40, Map.of(), List.of(), Map.of(), List.of()));
    assertEquals(List.of(20L, 13L, 30L, 40L), passed);
  }

  @Test
  void aJoinMadeAgainCatchesUpWithTheRoomAndReleasesWhatFollowsIt() {
    order.offer(change(20, 21));
    order.caughtUp(20);
    assertEquals(List.of(21L), passed);
  }

  @Test
  void aClosedOrderDropsWhatItHeldAndPassesOnNothing() {
    order.offer(change(11, 12));
    order.close();
    assertEquals(0, timers.pendingTimers());
    order.offer(change(10, 11));
    assertEquals(List.of(), passed);
  }

  @Test
  void aJoinOfAnotherRoomDropsWhatWasHeldForTheRoomBefore() {
    order.offer(change(11, 12));
    order.start(50);
    assertEquals(0, order.held());
    assertEquals(0, timers.pendingTimers());
    order.offer(change(50, 51));
    assertEquals(List.of(51L), passed);
  }

  @Test
  void pastItsBoundEveryHeldEventGoesOn() {
    for (int i = 0; i <= PresenceOrder.MAX_HELD; i++) {
      order.offer(change(100 + i, 101 + i));
    }
    assertEquals(PresenceOrder.MAX_HELD + 1, passed.size());
    assertEquals(0, order.held());
    assertEquals(0, timers.pendingTimers());
  }
}
