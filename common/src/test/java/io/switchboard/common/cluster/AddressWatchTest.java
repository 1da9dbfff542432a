package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressWatchTest {

  private static final String HOST = "172.18.0.12";
  private static final Set<String> CONNECTED = Set.of(HOST);
  private static final Set<String> DISCONNECTED = Set.of();
  private static final Set<String> MOVED = Set.of("172.18.0.5");

  private final List<Set<String>> moves = new ArrayList<>();

  /** A watch whose checks see these address sets in turn. */
  private AddressWatch watching(List<Set<String>> seen) {
    Deque<Set<String>> queue = new ArrayDeque<>(seen);
    return new AddressWatch(HOST, queue::removeFirst, moves::add);
  }

  private static int checksUntilMoved(AddressWatch watch, int checks) {
    for (int i = 1; i <= checks; i++) {
      if (watch.check()) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void reportsTheMoveOnceTheAddressHasBeenGoneForThreeChecksWhileAnotherWasThere() {
    AddressWatch watch = watching(List.of(CONNECTED, DISCONNECTED, MOVED, MOVED, MOVED));
    assertEquals(5, checksUntilMoved(watch, 5));
    assertEquals(List.of(MOVED), moves);
  }

  @Test
  void waitsForAsLongAsTheMachineHasNoAddressAtAll() {
    AddressWatch watch = watching(List.of(DISCONNECTED, DISCONNECTED, DISCONNECTED, DISCONNECTED,
        DISCONNECTED, MOVED));
    assertEquals(-1, checksUntilMoved(watch, 6));
    assertTrue(moves.isEmpty());
  }

  @Test
  void aContainerReconnectedWithItsOldAddressStays() {
    AddressWatch watch = watching(List.of(DISCONNECTED, DISCONNECTED, DISCONNECTED, CONNECTED,
        CONNECTED, CONNECTED));
    assertEquals(-1, checksUntilMoved(watch, 6));
    assertTrue(moves.isEmpty());
  }

  @Test
  void theAddressBackForOneCheckStartsTheCountAgain() {
    Set<String> both = Set.of(HOST, "172.18.0.5");
    AddressWatch watch = watching(List.of(MOVED, MOVED, both, MOVED, MOVED, MOVED));
    assertFalse(watch.check());
    assertFalse(watch.check());
    assertFalse(watch.check());
    assertEquals(3, checksUntilMoved(watch, 3));
  }

  @Test
  void thisMachinesAddressesLeaveLoopbackOut() {
    assertFalse(AddressWatch.nonLoopbackAddresses().stream().anyMatch(a -> a.startsWith("127.")));
  }
}
