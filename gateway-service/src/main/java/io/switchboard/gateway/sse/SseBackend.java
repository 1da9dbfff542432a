package io.switchboard.gateway.sse;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.EventId;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** SseBackend is the gateway's client of sse-service: publish and history reads, with timeouts. */
public final class SseBackend {

  private final EventBus bus;
  private final DeliveryOptions delivery;

  public SseBackend(EventBus bus, SseConfig config) {
    this.bus = bus;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }

  /** Stores and publishes an event; the reply is {@code {"topic", "id"}}. */
  public Future<JsonObject> publish(String topic, String type, String data) {
    JsonObject request = new JsonObject().put("topic", topic).put("data", data);
    if (type != null) {
      request.put("event", type);
    }
    return bus.<JsonObject>request(Addresses.SSE_PUBLISH, request, delivery).map(Message::body);
  }

  /** Reads retained events after {@code after} (raw, may be malformed) or from the oldest. */
  public Future<JsonObject> history(String topic, String after, int limit) {
    JsonObject request = new JsonObject().put("topic", topic).put("limit", limit);
    if (after != null) {
      request.put("after", after);
    }
    return bus.<JsonObject>request(Addresses.SSE_HISTORY, request, delivery).map(Message::body);
  }

  public Future<JsonObject> history(String topic, EventId after, int limit) {
    return history(topic, after == null ? null : after.toString(), limit);
  }
}
