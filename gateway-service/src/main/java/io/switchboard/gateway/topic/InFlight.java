package io.switchboard.gateway.topic;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * InFlight sends requests to sse-service that are safe to send twice, and sends each one still
 * waiting again when a member leaves the cluster.
 *
 * <p>A request that went to a member which then stopped answering (frozen by a long pause, cut off
 * from the network) fails only at its timeout, and its client waits that long although the cluster
 * dropped the member seconds before. Sent again once the member is gone, it reaches a live one.
 * Only reads and publishes under an idempotency key come through here: the second attempt of a
 * publish finds the first one's event if it was stored, and the deadline the request carries keeps
 * a member that wakes up late from storing it then. Every attempt ends at the first one's deadline,
 * so a client never waits longer than the request timeout.
 *
 * <p>Used from one event loop.
 */
final class InFlight {

  private final EventBus bus;
  private final Set<Request> waiting = new LinkedHashSet<>();

  InFlight(EventBus bus) {
    this.bus = bus;
  }

  /** One request and its answer, the first success or the last failure of its attempts. */
  private static final class Request {
    final String address;
    final JsonObject body;
    final long deadlineNanos;
    final Promise<Message<JsonObject>> answer = Promise.promise();
    int attempts;

    Request(String address, JsonObject body, long timeoutMillis) {
      this.address = address;
      this.body = body;
      this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }
  }

  /** Sends {@code body} to {@code address}; the answer fails after {@code timeoutMillis}. */
  Future<Message<JsonObject>> request(String address, JsonObject body, long timeoutMillis) {
    Request request = new Request(address, body, timeoutMillis);
    waiting.add(request);
    attempt(request, timeoutMillis);
    return request.answer.future().onComplete(ar -> waiting.remove(request));
  }

  /** A member left: every request still waiting is sent again, to whichever member is left. */
  void memberLeft() {
    for (Request request : new ArrayList<>(waiting)) {
      long left = TimeUnit.NANOSECONDS.toMillis(request.deadlineNanos - System.nanoTime());
      if (left > 0) {
        attempt(request, left);
      }
    }
  }

  private void attempt(Request request, long timeoutMillis) {
    request.attempts++;
    bus.<JsonObject>request(request.address, request.body,
        new DeliveryOptions().setSendTimeout(timeoutMillis)).onComplete(ar -> {
          request.attempts--;
          if (ar.succeeded()) {
            request.answer.tryComplete(ar.result());
          } else if (request.attempts == 0 || isAnswer(ar.cause())) {
            request.answer.tryFail(ar.cause());
          }
        });
  }

  /** sse-service's own refusal, rather than the transport's failure to get one. */
  private static boolean isAnswer(Throwable failure) {
    return failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE;
  }
}
