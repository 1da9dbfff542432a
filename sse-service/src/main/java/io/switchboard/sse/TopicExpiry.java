package io.switchboard.sse;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TopicExpiry deletes the topics that had no event and no subscriber for
 * {@code SSE_TOPIC_TTL_SECONDS}, with their history, so that the topic count falls again.
 *
 * <p>One sweep visits every topic of the cluster, so only the instance that runs the ticker sweeps,
 * every quarter of the TTL (at most every minute): a topic goes at most that much after its TTL.
 * Used from one event loop.
 */
final class TopicExpiry {

  private static final Logger LOG = LoggerFactory.getLogger(TopicExpiry.class);
  private static final long MIN_PERIOD_MS = 100;
  private static final long MAX_PERIOD_MS = 60_000;

  private final Vertx vertx;
  private final TopicHistory history;
  private final Duration ttl;
  private final BooleanSupplier leading;
  private long timer = -1;
  private boolean sweeping;

  /** Sweeps {@code history} while {@code leading} says this instance is the one to. */
  TopicExpiry(Vertx vertx, TopicHistory history, Duration ttl, BooleanSupplier leading) {
    this.vertx = vertx;
    this.history = history;
    this.ttl = ttl;
    this.leading = leading;
  }

  /** How often topics are swept: a quarter of the TTL, from 100 ms to a minute. */
  static long periodMillis(Duration ttl) {
    return Math.max(MIN_PERIOD_MS, Math.min(MAX_PERIOD_MS, ttl.toMillis() / 4));
  }

  void start() {
    timer = vertx.setPeriodic(periodMillis(ttl), id -> sweep());
  }

  private void sweep() {
    if (sweeping || !leading.getAsBoolean()) {
      return;
    }
    sweeping = true;
    history.expireIdle(ttl.toMillis()).onComplete(ar -> {
      sweeping = false;
      if (ar.failed()) {
        LOG.warn("Could not delete idle topics: {}", ar.cause().toString());
      } else if (ar.result() > 0) {
        LOG.info("Deleted {} topics without events or subscribers for {} s", ar.result(), ttl.toSeconds());
      }
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
