package io.switchboard.gateway.topic;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.HistoryRequest;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.PublishedEvent;
import io.switchboard.common.sse.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * ClusteredTopicLog is the {@link TopicLog} of the cluster: sse-service stores the events and
 * answers reads over the event bus, with timeouts, and publishes each stored event to every gateway.
 *
 * <p>Each event loop registers one consumer on one broadcast address for its whole life, rather than
 * an address per topic registered while the topic has local subscribers. A per-topic registration
 * would be a Hazelcast write each time a topic gains or loses its first subscriber on a node, and a
 * publisher's view of it is updated asynchronously, so an event published just after a client
 * subscribed could miss the gateway. With one broadcast address the set of receivers changes only
 * when gateways come and go; the price is that every gateway sees every event and drops those of
 * topics it has no subscriber for, a map lookup each.
 */
public final class ClusteredTopicLog implements TopicLog {

  /** Tries of one history read before its failure is reported. */
  static final int HISTORY_ATTEMPTS = 3;

  private final EventBus bus;
  private final DeliveryOptions delivery;
  private final Map<String, TopicListener> listeners = new HashMap<>();

  public ClusteredTopicLog(Vertx vertx, Duration requestTimeout) {
    this.bus = vertx.eventBus();
    this.delivery = new DeliveryOptions().setSendTimeout(requestTimeout.toMillis());
  }

  /**
   * Registers this loop's consumer of live events; completes once the registration is
   * cluster-wide. The consumer belongs to the verticle whose context calls this, and goes with it.
   */
  public Future<Void> start() {
    MessageConsumer<JsonObject> consumer =
        bus.consumer(Addresses.SSE_EVENTS, message -> onPublished(message.body()));
    return consumer.completion();
  }

  @Override
  public Future<PublishReply> append(String topic, String event, String data, String key, String scope) {
    PublishRequest request = new PublishRequest(topic, event, data, key, scope);
    return bus.<JsonObject>request(Addresses.SSE_PUBLISH, request.toJson(), delivery)
        .map(reply -> PublishReply.fromJson(reply.body()));
  }

  /**
   * Reads change nothing, so a failed one is tried again: right after an sse-service instance dies,
   * the bus may still route a request to it until the cluster has dropped it.
   */
  @Override
  public Future<HistoryPage> read(String topic, String after, int limit) {
    return read(new HistoryRequest(topic, after, limit).toJson(), HISTORY_ATTEMPTS);
  }

  private Future<HistoryPage> read(JsonObject request, int attempts) {
    return bus.<JsonObject>request(Addresses.SSE_HISTORY, request, delivery)
        .map(reply -> HistoryPage.fromJson(reply.body()))
        .recover(err -> attempts > 1 && retriable(err)
            ? read(request, attempts - 1)
            : Future.failedFuture(err));
  }

  /** Failures of the transport, not answers: sse-service reports its own errors as RECIPIENT_FAILURE. */
  private static boolean retriable(Throwable err) {
    return !(err instanceof ReplyException reply)
        || reply.failureType() != ReplyFailure.RECIPIENT_FAILURE;
  }

  @Override
  public void subscribe(String topic, TopicListener listener) {
    listeners.put(topic, listener);
  }

  @Override
  public void unsubscribe(String topic, TopicListener listener) {
    listeners.remove(topic, listener);
  }

  private void onPublished(JsonObject body) {
    TopicListener listener = listeners.get(PublishedEvent.topicOf(body));
    if (listener == null) {
      return;
    }
    StoredEvent event = PublishedEvent.eventOf(body);
    if (event != null) {
      listener.onEvent(event);
    }
  }
}
