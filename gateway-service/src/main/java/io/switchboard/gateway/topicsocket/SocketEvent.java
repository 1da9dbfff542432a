package io.switchboard.gateway.topicsocket;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.netty.buffer.ByteBuf;
import io.switchboard.gateway.topic.TopicEvent;
import io.switchboard.gateway.transport.WebSocketFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * SocketEvent is a topic's event as a WebSocket text frame,
 * {@code {"type":"event","topic":"t","id":"<id>","event":"<type>","data":<json>}}, encoded once on
 * each of the gateway's event loops and written to every subscribed socket of that loop.
 *
 * <p>It holds the frame twice: as its UTF-8 text, for sockets written through Vert.x, and as the
 * bytes of the whole WebSocket frame in pooled off-heap memory ({@link WebSocketFrames#text}),
 * which a socket's channel takes a view of for each write, so that a delivery neither encodes nor
 * copies anything. The wire frame is reference-counted as {@code LiveEvent}'s chunk is: whoever
 * keeps the event beyond a call retains it, and the last release gives the memory back to the pool.
 */
final class SocketEvent implements TopicEvent {

  private final EventId id;
  private final Buffer text;
  private final ByteBuf wire;
  /** Subscriptions' queues holding the event; used from its event loop only. */
  private int queues;

  private SocketEvent(EventId id, Buffer text) {
    this.id = id;
    this.text = text;
    this.wire = WebSocketFrames.text(text);
  }

  /** Encodes the stored events of {@code topic}; the caller holds each event's one reference. */
  static Function<StoredEvent, SocketEvent> encoder(String topic) {
    String head = "{\"type\":\"event\",\"topic\":" + Json.encode(topic) + ",\"id\":\"";
    return stored -> new SocketEvent(stored.id(), Buffer.buffer(encode(head, stored)));
  }

  private static String encode(String head, StoredEvent stored) {
    StringBuilder frame = new StringBuilder(head.length() + stored.data().length() + 64)
        .append(head).append(stored.id()).append('"');
    if (stored.event() != null) {
      frame.append(",\"event\":").append(Json.encode(stored.event()));
    }
    // Stored data is JSON already, as the publisher's "data" was encoded.
    return frame.append(",\"data\":").append(stored.data()).append('}').toString();
  }

  @Override
  public EventId id() {
    return id;
  }

  /** The frame's text, for a socket written through Vert.x. */
  String frame() {
    return text.toString(StandardCharsets.UTF_8);
  }

  /** A new view of the whole encoded frame for one write, by a holder of a reference; the write releases it. */
  ByteBuf wire() {
    return wire.retainedDuplicate();
  }

  /** The references held to the wire frame, its own and those of unreleased views. */
  int references() {
    return wire.refCnt();
  }

  @Override
  public SocketEvent retain() {
    wire.retain();
    return this;
  }

  @Override
  public void release() {
    wire.release();
  }

  /** The frame's bytes, on the heap and in the pooled wire frame. */
  @Override
  public int size() {
    return text.length() + wire.capacity();
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
