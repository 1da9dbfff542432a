package io.switchboard.gateway.sse;

import io.netty.buffer.ByteBuf;
import io.switchboard.common.sse.EventId;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.lang.ref.Cleaner;

/**
 * LiveEvent is an event of a topic ready to write: its parsed id, its frame, and the frame as an
 * HTTP/1.1 chunk ({@link SseWriter#chunk}), encoded once and shared by every subscriber on one of
 * the gateway's event loops.
 *
 * <p>The chunk is pooled off-heap memory, and each write takes a view of it that Netty recycles
 * once the socket has the bytes: a delivery allocates nothing, so the garbage collector, whose
 * pauses stall every stream at once, seldom runs however many streams an event goes to. An event
 * may wait in the queue of a slow stream, so no single owner knows when the last write of it is
 * done; the chunk goes back to the pool once the garbage collector finds the event unreachable.
 */
final class LiveEvent {

  private static final Cleaner CHUNKS = Cleaner.create(task -> {
    Thread thread = new Thread(task, "switchboard-sse-chunks");
    thread.setDaemon(true);
    return thread;
  });

  private final EventId id;
  private final Buffer frame;
  private final ByteBuf chunk;

  private LiveEvent(EventId id, Buffer frame, ByteBuf chunk) {
    this.id = id;
    this.frame = frame;
    this.chunk = chunk;
  }

  /** From sse-service's JSON form {@code {"id", "event"?, "data"}}; null when malformed. */
  static LiveEvent fromJson(JsonObject json) {
    if (!(json.getValue("id") instanceof String text) || !(json.getValue("data") instanceof String data)) {
      return null;
    }
    EventId id = EventId.parse(text).orElse(null);
    Object type = json.getValue("event");
    if (id == null || (type != null && !(type instanceof String))) {
      return null;
    }
    Buffer frame = SseWriter.event(text, (String) type, data);
    ByteBuf chunk = SseWriter.chunk(frame);
    LiveEvent event = new LiveEvent(id, frame, chunk);
    // The action holds the chunk, not the event, or the event would never become unreachable.
    CHUNKS.register(event, chunk::release);
    return event;
  }

  EventId id() {
    return id;
  }

  long position() {
    return id.position();
  }

  /** The event as written by {@code HttpServerResponse.write}. */
  Buffer frame() {
    return frame;
  }

  /** A new view of the encoded chunk for one write; the write releases it. */
  ByteBuf chunk() {
    return chunk.retainedDuplicate();
  }
}
