package io.switchboard.sse;

import io.switchboard.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

/**
 * TopicPublisher stores an event in its topic's history, then publishes it to every gateway.
 *
 * <p>Storing first means an event a gateway delivers can always be found again by id. Two instances
 * may publish events of one topic concurrently, so gateways can receive them out of order; the
 * ids give the order, and each gateway restores it before writing to clients.
 */
public final class TopicPublisher {

  private final TopicHistory history;
  private final EventBus bus;

  public TopicPublisher(TopicHistory history, EventBus bus) {
    this.history = history;
    this.bus = bus;
  }

  public Future<StoredEvent> publish(String topic, String type, String data) {
    return history.append(topic, type, data).onSuccess(event ->
        bus.publish(Addresses.SSE_EVENTS, event.toJson().put("topic", topic)));
  }
}
