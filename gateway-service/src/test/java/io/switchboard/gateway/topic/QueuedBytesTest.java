package io.switchboard.gateway.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.sse.EventId;
import org.junit.jupiter.api.Test;

/** The node's budget of bytes held for slow streams, over events of known sizes. */
class QueuedBytesTest {

  @Test
  void anEventHeldByManyQueuesCountsOnceUntilTheLastLetsGo() {
    QueuedBytes queued = new QueuedBytes(250);
    SizedEvent event = new SizedEvent(1, 100);
    for (int i = 0; i < 5; i++) {
      assertTrue(queued.hold(event));
    }
    assertEquals(100, queued.held());
    for (int i = 0; i < 4; i++) {
      queued.letGo(event);
    }
    assertEquals(100, queued.held(), "one queue still holds it");
    queued.letGo(event);
    assertEquals(0, queued.held());
  }

  @Test
  void anEventThatWouldPassTheBudgetIsRefusedAndCountsNothing() {
    QueuedBytes queued = new QueuedBytes(250);
    SizedEvent first = new SizedEvent(1, 100);
    SizedEvent second = new SizedEvent(2, 100);
    SizedEvent third = new SizedEvent(3, 100);
    assertTrue(queued.hold(first));
    assertTrue(queued.hold(second));
    assertFalse(queued.hold(third));
    assertEquals(200, queued.held());
    assertEquals(0, third.queues, "the refused event is held by no queue");

    queued.letGo(first);
    assertTrue(queued.hold(third), "room again once an event is let go");
    assertEquals(200, queued.held());
  }

  /** An event of a fixed size that counts the queues holding it. */
  private static final class SizedEvent implements TopicEvent {
    private final EventId id;
    private final int size;
    private int queues;

    SizedEvent(long sequence, int size) {
      this.id = EventId.ofSequence("e", sequence);
      this.size = size;
    }

    @Override
    public EventId id() {
      return id;
    }

    @Override
    public TopicEvent retain() {
      return this;
    }

    @Override
    public void release() {
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public int enqueued() {
      return ++queues;
    }

    @Override
    public int dequeued() {
      return --queues;
    }
  }
}
