package io.switchboard.sse;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.PublishedEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.function.LongSupplier;

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
  private final LongSupplier clusterTime;

  /** {@code clusterTime} stamps each event with when it was stored, in the time members agree on. */
  public TopicPublisher(TopicHistory history, EventBus bus, LongSupplier clusterTime) {
    this.history = history;
    this.bus = bus;
    this.clusterTime = clusterTime;
  }

  /**
   * Stores and publishes an event under an idempotency key, for {@code creator} (null for a
   * publisher never limited in the topics it creates), unless {@code deadline} (Hazelcast's
   * cluster time, 0 for none) passes first. A replayed key publishes the event it stored again
   * when it is still retained: the first attempt may have died before publishing, and gateways
   * drop what they delivered already.
   */
  public Future<TopicHistory.Appended> publish(String topic, String type, String data, String key,
      String creator, long deadline) {
    return history.append(topic, type, data, key, creator, deadline).onSuccess(appended -> {
      if (appended.retained()) {
        bus.publish(Addresses.SSE_EVENTS, new PublishedEvent(topic, appended.event(), clusterTime.getAsLong()).toJson());
      }
    });
  }

  /** Stores and publishes an event of the server's own, that no client will retry. */
  public Future<TopicHistory.Appended> publish(String topic, String type, String data) {
    return publish(topic, type, data, PublishKeys.generated(), null, 0);
  }
}
