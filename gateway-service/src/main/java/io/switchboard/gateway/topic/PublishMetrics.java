package io.switchboard.gateway.topic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.common.sse.PublishReply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * PublishMetrics counts the events a gateway stored and times each publish from its request to the
 * event stored with its backups, over HTTP and WebSocket alike:
 * {@code switchboard_events_published_total} and the histogram
 * {@code switchboard_publish_duration_seconds}. A retry answered with the first attempt's id
 * (its idempotency key was known) stored nothing and is timed but not counted.
 */
final class PublishMetrics {

  /** Histogram buckets, from well under a millisecond to the request timeout's range. */
  private static final Duration[] BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final Counter published;
  private final Timer duration;

  PublishMetrics(MeterRegistry registry) {
    this.published = Counter.builder("switchboard.events.published")
        .description("Events stored through this gateway's publishes, HTTP and WebSocket")
        .register(registry);
    this.duration = Timer.builder("switchboard.publish.duration")
        .description("From a publish request to its event stored with its backups")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  /** A publish started at {@code startNanos} was answered with {@code reply}. */
  void stored(long startNanos, PublishReply reply) {
    duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (!reply.replayed()) {
      published.increment();
    }
  }
}
