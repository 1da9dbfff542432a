package io.switchboard.gateway.sse;

import io.switchboard.gateway.topic.TopicEvent;
import io.switchboard.gateway.transport.SseWriter;
import io.netty.buffer.ByteBuf;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.vertx.core.buffer.Buffer;

/**
 * LiveEvent is an event of a topic ready to write: its parsed id, its frame, and the frame as an
 * HTTP/1.1 chunk ({@link SseWriter#chunk}), encoded once and shared by every subscriber on one of
 * the gateway's event loops.
 *
 * <p>The chunk is pooled off-heap memory, and each write takes a view of it that Netty recycles
 * once the socket has the bytes: a delivery allocates nothing, so the garbage collector, whose
 * pauses stall every stream at once, seldom runs however many streams an event goes to.
 *
 * <p>The chunk is reference-counted, and goes back to the pool when the last holder releases it:
 * {@link #of} hands its caller one reference; whoever keeps the event beyond a call (a
 * topic's held events, a slow stream's queue) {@link #retain}s it and releases it when done; each
 * write's view holds its own until the socket has the bytes.
 */
final class LiveEvent implements TopicEvent {

  private final EventId id;
  private final Buffer frame;
  private final ByteBuf chunk;
  /** Streams' queues holding the event; used from its event loop only. */
  private int queues;

  private LiveEvent(EventId id, Buffer frame, ByteBuf chunk) {
    this.id = id;
    this.frame = frame;
    this.chunk = chunk;
  }

  /** The event ready to write; the caller holds its one reference and must {@link #release} it. */
  static LiveEvent of(StoredEvent stored) {
    Buffer frame = SseWriter.event(stored.id().toString(), stored.event(), stored.data());
    return new LiveEvent(stored.id(), frame, SseWriter.chunk(frame));
  }

  /** Takes one more reference, for a holder that keeps the event; returns this event. */
  @Override
  public LiveEvent retain() {
    chunk.retain();
    return this;
  }

  /** Gives back one reference; the chunk returns to the pool with the last. */
  @Override
  public void release() {
    chunk.release();
  }

  @Override
  public EventId id() {
    return id;
  }

  /** The frame's bytes, on the heap and in the pooled chunk. */
  @Override
  public int size() {
    return frame.length() + chunk.capacity();
  }

  @Override
  public int enqueued() {
    return ++queues;
  }

  @Override
  public int dequeued() {
    return --queues;
  }

  /** The event as written by {@code HttpServerResponse.write}. */
  Buffer frame() {
    return frame;
  }

  /** The references held to the chunk, its own and those of unreleased views. */
  int references() {
    return chunk.refCnt();
  }

  /** A new view of the encoded chunk for one write, by a holder of a reference; the write releases it. */
  ByteBuf chunk() {
    return chunk.retainedDuplicate();
  }
}
