package io.switchboard.gateway.topicsocket;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.gateway.topic.TopicEvent;
import io.vertx.core.json.Json;
import java.util.function.Function;

/**
 * SocketEvent is a topic's event as a WebSocket text frame,
 * {@code {"type":"event","topic":"t","id":"<id>","event":"<type>","data":<json>}}, encoded once on
 * each of the gateway's event loops and written to every subscribed socket of that loop.
 *
 * <p>The frame is a string on the heap, freed by the garbage collector once the last holder drops
 * it: taking and giving back references costs nothing.
 */
final class SocketEvent implements TopicEvent {

  private final EventId id;
  private final String frame;
  /** Subscriptions' queues holding the event; used from its event loop only. */
  private int queues;

  private SocketEvent(EventId id, String frame) {
    this.id = id;
    this.frame = frame;
  }

  /** Encodes the stored events of {@code topic}. */
  static Function<StoredEvent, SocketEvent> encoder(String topic) {
    String head = "{\"type\":\"event\",\"topic\":" + Json.encode(topic) + ",\"id\":\"";
    return stored -> new SocketEvent(stored.id(), encode(head, stored));
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

  String frame() {
    return frame;
  }

  @Override
  public SocketEvent retain() {
    return this;
  }

  @Override
  public void release() {
    // A heap string: nothing to give back.
  }

  /** The frame's characters, two bytes each on the heap. */
  @Override
  public int size() {
    return 2 * frame.length();
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
