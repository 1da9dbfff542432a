package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.PresenceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * HeldDeliveries keeps, in order, what arrives for a room while its join is in flight: presence
 * events ({@link PresenceEvent}) and peer deliveries ({@link PeerDelivery}), each kind up to a bound
 * beyond which more are dropped.
 */
final class HeldDeliveries {

  private static final int MAX_HELD_PRESENCE = 1024;
  private static final int MAX_HELD_MESSAGES = 64;

  private final List<Object> held = new ArrayList<>();
  private int messages;

  void add(Object delivery) {
    boolean isPresence = delivery instanceof PresenceEvent;
    if (isPresence ? held.size() - messages < MAX_HELD_PRESENCE : messages < MAX_HELD_MESSAGES) {
      held.add(delivery);
      messages += isPresence ? 0 : 1;
    }
  }

  /** What is held, in arrival order. */
  List<Object> drain() {
    return held;
  }
}
