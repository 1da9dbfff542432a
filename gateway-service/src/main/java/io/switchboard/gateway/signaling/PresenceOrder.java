package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.PresenceEvent;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * PresenceOrder passes on the presence events of one connection's room in the order
 * signaling-service changed the room, although events of two changes may come from two
 * signaling-service instances and overtake each other on the way: a peer that moves to another
 * gateway may be announced there with its new id before the departure of its old id arrives.
 *
 * <p>Each event names the room version its change followed ({@code previous}). An event whose
 * previous version is newer than any this connection has seen follows a change not heard of yet:
 * it waits until that change is passed on, or for {@code SIGNALING_PRESENCE_GAP_WAIT_MS} at most,
 * after which every event held goes on in version order (the change it waited for was lost with a
 * signaling-service instance, or is not this connection's to hear). An event without a previous
 * version (from a member of an earlier release), a reconciliation after a merge, and an eviction
 * notice go on at once: each stands on its own.
 *
 * <p>Used from its connection's event loop only.
 */
final class PresenceOrder {

  /** Events held, beyond which every held event goes on at once. */
  static final int MAX_HELD = 1000;

  private final PeerRouter loop;
  private final long waitMillis;
  private final Consumer<PresenceEvent> next;
  private final TreeMap<Long, PresenceEvent> held = new TreeMap<>();
  /** The newest room version passed on, or of the room as the connection joined it. */
  private long latest;
  private long timer = -1;
  private boolean closed = true;

  /** Orders events for {@code next}, holding them up to {@code waitMillis} on {@code loop}'s timers. */
  PresenceOrder(PeerRouter loop, long waitMillis, Consumer<PresenceEvent> next) {
    this.loop = loop;
    this.waitMillis = waitMillis;
    this.next = next;
  }

  /**
   * The connection joined a room at {@code joinedAt}, the room's version in its join reply: the
   * events that follow are of that room, and what was held for another is dropped.
   */
  void start(long joinedAt) {
    close();
    closed = false;
    latest = joinedAt;
  }

  void offer(PresenceEvent event) {
    if (closed) {
      return;
    }
    if (waitMillis > 0 && !ready(event)) {
      held.put(event.version(), event);
      if (held.size() > MAX_HELD) {
        release();
      } else if (timer < 0) {
        timer = loop.setTimer(waitMillis, () -> {
          timer = -1;
          release();
        });
      }
      return;
    }
    pass(event);
    drain();
  }

  /** The room as the connection found it at {@code version}, by joining it again: what is older is old. */
  void caughtUp(long version) {
    latest = Math.max(latest, version);
    drain();
  }

  /** The connection left its room, or closed: nothing held goes on, and nothing more is taken. */
  void close() {
    closed = true;
    held.clear();
    cancelTimer();
  }

  int held() {
    return held.size();
  }

  /** An event is ready once the change it followed was passed on (an old event's was, long ago). */
  private boolean ready(PresenceEvent event) {
    return event.previous() <= latest || event.reconciled() || !event.evicted().isEmpty();
  }

  private void pass(PresenceEvent event) {
    latest = Math.max(latest, event.version());
    next.accept(event);
  }

  /** Passes on the held events that are ready, in version order. */
  private void drain() {
    while (!closed && !held.isEmpty() && ready(held.firstEntry().getValue())) {
      pass(held.pollFirstEntry().getValue());
    }
    if (held.isEmpty()) {
      cancelTimer();
    }
  }

  /** Passes on every held event, in version order. */
  private void release() {
    cancelTimer();
    while (!closed && !held.isEmpty()) {
      pass(held.pollFirstEntry().getValue());
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      loop.cancelTimer(timer);
      timer = -1;
    }
  }
}
