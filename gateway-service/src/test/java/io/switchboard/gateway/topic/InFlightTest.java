package io.switchboard.gateway.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * InFlightTest runs on a plain Vert.x instance, whose one consumer stands for the sse-service
 * instances: it leaves the first request it gets unanswered, as a frozen member does.
 */
class InFlightTest {

  private static final String ADDRESS = "test.inflight";

  private final Vertx vertx = Vertx.vertx();
  private final List<Message<JsonObject>> unanswered = new ArrayList<>();
  private final AtomicInteger received = new AtomicInteger();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  /** The first request is left unanswered; later ones get {@code answer}. */
  private void consumer(Consumer<Message<JsonObject>> answer) {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(ADDRESS, message -> {
      if (received.getAndIncrement() == 0) {
        unanswered.add(message);
      } else {
        answer.accept(message);
      }
    }).completion());
  }

  /** Sends a request through an InFlight on an event loop; {@code memberLeft} then, if asked. */
  private Future<Message<JsonObject>> send(long timeoutMillis, boolean memberLeft) {
    Promise<Message<JsonObject>> reply = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      InFlight inFlight = new InFlight(vertx.eventBus());
      inFlight.request(ADDRESS, new JsonObject().put("n", 1), timeoutMillis).onComplete(reply);
      if (memberLeft) {
        inFlight.memberLeft();
      }
    });
    return reply.future();
  }

  @Test
  void aRequestStillWaitingWhenAMemberLeavesIsAnsweredByAnotherLongBeforeItsTimeout() {
    consumer(message -> message.reply(new JsonObject().put("from", "live")));
    long started = System.nanoTime();
    Message<JsonObject> reply = TestCluster.await(send(30_000, true), Duration.ofSeconds(10));
    assertEquals("live", reply.body().getString("from"));
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    assertEquals(2, received.get(), "the request was sent twice");
  }

  @Test
  void anAnswerThatRefusesTheRequestIsTheAnswerWhateverElseIsWaiting() {
    consumer(message -> message.fail(2006, "conflict"));
    Throwable failure = TestCluster.await(send(30_000, true).map(m -> (Throwable) null)
        .otherwise(err -> err), Duration.ofSeconds(10));
    ReplyException refusal = assertInstanceOf(ReplyException.class, failure);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, refusal.failureType());
    assertEquals(2006, refusal.failureCode());
  }

  @Test
  void withoutADepartureARequestNobodyAnswersTimesOutOnce() {
    consumer(message -> message.reply(new JsonObject()));
    Throwable failure = TestCluster.await(send(300, false).map(m -> (Throwable) null)
        .otherwise(err -> err), Duration.ofSeconds(10));
    assertEquals(ReplyFailure.TIMEOUT, assertInstanceOf(ReplyException.class, failure).failureType());
    assertEquals(1, received.get());
  }
}
