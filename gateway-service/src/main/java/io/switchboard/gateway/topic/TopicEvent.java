package io.switchboard.gateway.topic;

import io.switchboard.common.sse.EventId;

/**
 * TopicEvent is a topic's event as a transport holds it, ready to write: encoded once for every
 * subscriber of a node, and reference-counted, so that the feed and slow subscribers that hold it
 * keep its encoded bytes alive and the last one to let go frees them.
 */
public interface TopicEvent {

  EventId id();

  default long position() {
    return id().position();
  }

  /** Takes one more reference, for a holder that keeps the event beyond a call. */
  TopicEvent retain();

  /** Gives back one reference. */
  void release();
}
