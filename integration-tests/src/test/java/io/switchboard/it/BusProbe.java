package io.switchboard.it;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.HistoryRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * BusProbe sends a history read to sse-service over the event bus every few milliseconds, from a
 * member of the cluster, and keeps the outcome of each: with two sse-service instances the bus
 * takes turns between them, so a request routed to a member that is gone fails (it times out, or
 * its connection is refused) while the others are answered in milliseconds.
 */
final class BusProbe implements AutoCloseable {

  /** One request: when it was sent, in ms since the probe started, and how it ended. */
  record Request(long sentMs, long tookMs, String failure) {

    boolean failed() {
      return failure != null;
    }

    @Override
    public String toString() {
      return "request at " + sentMs + " ms took " + tookMs + " ms: "
          + (failure == null ? "answered" : failure);
    }
  }

  private final Vertx vertx;
  private final long startedNanos = System.nanoTime();
  private final List<Request> requests = new ArrayList<>();
  private final long timer;
  private final DeliveryOptions options;
  private final JsonObject body;

  BusProbe(Vertx vertx, String topic, long everyMs, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.body = new HistoryRequest(topic, null, 0).toJson();
    this.timer = vertx.setPeriodic(everyMs, id -> send());
  }

  /** Milliseconds since the probe started, on the clock requests are stamped with. */
  long nowMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private void send() {
    long sent = nowMs();
    vertx.eventBus().request(Addresses.SSE_HISTORY, body, options)
        .onComplete(reply -> add(new Request(sent, nowMs() - sent,
            reply.succeeded() ? null : String.valueOf(reply.cause().getMessage()))));
  }

  private synchronized void add(Request request) {
    requests.add(request);
  }

  /** Every request answered or failed so far, in the order they ended. */
  synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** The requests sent at or after {@code fromMs} that failed. */
  synchronized List<Request> failedSince(long fromMs) {
    return requests.stream().filter(r -> r.sentMs() >= fromMs && r.failed()).toList();
  }

  /** How many requests sent at or after {@code fromMs} were answered. */
  synchronized long answeredSince(long fromMs) {
    return requests.stream().filter(r -> r.sentMs() >= fromMs && !r.failed()).count();
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
