package io.switchboard.gateway.topic;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * DeliveryLag times live events from stored to written to the sockets of their subscribers:
 * {@code switchboard_delivery_lag_seconds}, one observation per event, event loop and transport,
 * taken when that loop has handed the event to every subscriber it has. The store's instant comes
 * from sse-service in Hazelcast's cluster time, so hosts whose clocks differ still agree.
 */
public final class DeliveryLag {

  /** The stored instant of an event that does not say when it was stored. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private static final Timer LAG = Timer.builder("switchboard.delivery.lag")
      .description("From a live event stored to written to the sockets of one event loop's subscribers")
      .serviceLevelObjectives(BUCKETS)
      .register(Metrics.globalRegistry);

  private DeliveryLag() {
  }

  /** Registers the histogram, so that it exists before the first event. */
  public static void register() {
    // Loading the class registered it.
  }

  /** An event stored at {@code storedNanos} (this JVM's {@link System#nanoTime()}) was written now. */
  static void written(long storedNanos) {
    LAG.record(Math.max(0, System.nanoTime() - storedNanos), TimeUnit.NANOSECONDS);
  }
}
