package io.switchboard.gateway.topic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * QueuedBytes bounds the bytes of the events that a gateway node holds for streams whose clients
 * do not read fast enough ({@code SSE_QUEUED_MAX_BYTES}), all streams and topics together. An
 * event counts once however many streams' queues hold it, from the first queue that takes it until
 * the last lets it go: a burst to many streams of one topic costs its events once, and a client that
 * stops reading many topics cannot hold more than the budget.
 *
 * <p>One per gateway node, shared by its event loops; each event is counted by its own loop.
 */
public final class QueuedBytes {

  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();

  public QueuedBytes(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Counts {@code event} as held by one more queue; false, and nothing counted, when the first queue
   * to hold it would take the node past its budget.
   */
  public boolean hold(TopicEvent event) {
    if (event.enqueued() > 1) {
      return true;
    }
    long size = event.size();
    if (held.addAndGet(size) > maxBytes) {
      held.addAndGet(-size);
      event.dequeued();
      return false;
    }
    return true;
  }

  /** One queue no longer holds {@code event}; its bytes stop counting with the last. */
  public void letGo(TopicEvent event) {
    if (event.dequeued() == 0) {
      held.addAndGet(-event.size());
    }
  }

  /** The bytes held now. */
  public long held() {
    return held.get();
  }

  public long maxBytes() {
    return maxBytes;
  }
}
