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

  /** The bytes the event holds while it is kept: its encoded frame. */
  int size();

  /** One more stream's queue holds the event; how many do now. Used from the event's loop only. */
  int enqueued();

  /** One stream's queue less holds the event; how many still do. */
  int dequeued();
}
