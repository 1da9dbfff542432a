package io.switchboard.gateway.topic;

import java.util.ArrayDeque;

/**
 * StreamQueue holds the live events of one stream that its connection cannot take yet, bounded by
 * a count of events for the stream ({@code SSE_CLIENT_QUEUE_MAX}) and by the node's
 * {@link QueuedBytes}. It holds a reference to each event it keeps.
 *
 * <p>Used from the event loop of its stream only.
 */
final class StreamQueue<E extends TopicEvent> {

  /** Why an event was not taken. */
  enum Refusal { FULL, OVER_BUDGET }

  private final ArrayDeque<E> events = new ArrayDeque<>();
  private final int max;
  private final QueuedBytes bytes;

  StreamQueue(int max, QueuedBytes bytes) {
    this.max = max;
    this.bytes = bytes;
  }

  /** Keeps {@code event}, with a reference of its own; null when taken, else why not. */
  Refusal add(E event) {
    if (events.size() >= max) {
      return Refusal.FULL;
    }
    if (!bytes.hold(event)) {
      return Refusal.OVER_BUDGET;
    }
    event.retain();
    events.add(event);
    return null;
  }

  /** The oldest event, whose reference the caller now holds and releases; null when empty. */
  E poll() {
    E event = events.poll();
    if (event != null) {
      bytes.letGo(event);
    }
    return event;
  }

  /** The oldest event, still held by the queue; null when empty. */
  E peek() {
    return events.peek();
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** Lets every event go. */
  void clear() {
    for (E event = poll(); event != null; event = poll()) {
      event.release();
    }
  }
}
