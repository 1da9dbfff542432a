package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.signaling.PresenceEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a connection holds while its join is in flight: presence and messages, each to its own bound. */
class HeldDeliveriesTest {

  @Test
  void presenceEventsAndMessagesAreHeldInOrderEachUpToItsOwnBound() {
    HeldDeliveries held = new HeldDeliveries();
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      PresenceEvent joined = PresenceEvent.joined("standup", i, "peer-" + i, "gw-b");
      held.add(joined);
      expected.add(joined);
    }
    for (int i = 0; i < 100; i++) {
      PeerDelivery relay = PeerDelivery.relay("standup", "me", "{\"n\":" + i + "}");
      held.add(relay);
      if (i < 64) {
        expected.add(relay);
      }
    }
    PresenceEvent after = PresenceEvent.left("standup", 300, List.of("peer-0"));
    held.add(after);
    expected.add(after);
    assertEquals(expected, held.drain());
  }
}
