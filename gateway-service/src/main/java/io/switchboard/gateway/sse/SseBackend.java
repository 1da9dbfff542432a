package io.switchboard.gateway.sse;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.HistoryRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/** SseBackend is the gateway's client of sse-service: publish and history reads, with timeouts. */
public final class SseBackend {

  /** Tries of one history read before its failure is reported. */
  static final int HISTORY_ATTEMPTS = 3;

  private final EventBus bus;
  private final DeliveryOptions delivery;

  public SseBackend(EventBus bus, SseConfig config) {
    this.bus = bus;
    this.delivery = new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
  }

  /** Stores and publishes an event, at most once per idempotency key (null for none). */
  public Future<PublishReply> publish(String topic, String type, String data, String key) {
    PublishRequest request = new PublishRequest(topic, type, data, key);
    return bus.<JsonObject>request(Addresses.SSE_PUBLISH, request.toJson(), delivery)
        .map(reply -> PublishReply.fromJson(reply.body()));
  }

  /**
   * Reads retained events after {@code after} (raw, may be malformed) or from the oldest.
   *
   * <p>Reads change nothing, so a failed one is tried again: right after an sse-service instance
   * dies, the bus may still route a request to it until the cluster has dropped it.
   */
  public Future<HistoryPage> history(String topic, String after, int limit) {
    return readHistory(new HistoryRequest(topic, after, limit).toJson(), HISTORY_ATTEMPTS);
  }

  private Future<HistoryPage> readHistory(JsonObject request, int attempts) {
    return bus.<JsonObject>request(Addresses.SSE_HISTORY, request, delivery)
        .map(reply -> HistoryPage.fromJson(reply.body()))
        .recover(err -> attempts > 1 && retriable(err)
            ? readHistory(request, attempts - 1)
            : Future.failedFuture(err));
  }

  /** Failures of the transport, not answers: sse-service reports its own errors as RECIPIENT_FAILURE. */
  private static boolean retriable(Throwable err) {
    return !(err instanceof ReplyException reply)
        || reply.failureType() != ReplyFailure.RECIPIENT_FAILURE;
  }

  public Future<HistoryPage> history(String topic, EventId after, int limit) {
    return history(topic, after == null ? null : after.toString(), limit);
  }
}
