package io.switchboard.gateway.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;

/**
 * SlowConsumers counts the connections the gateway closed because their clients did not read what
 * was sent to them: {@code switchboard_slow_consumer_disconnects_total{endpoint}}, with the
 * endpoints {@code signaling}, {@code sse} and {@code topics}, each from zero. The cuts happen deep
 * in the writing paths, so the counters live in Micrometer's global registry, to which each process
 * adds its own.
 */
public final class SlowConsumers {

  public static final String SIGNALING = "signaling";
  public static final String SSE = "sse";
  public static final String TOPICS = "topics";

  private static final Map<String, Counter> COUNTERS = Map.of(
      SIGNALING, counter(SIGNALING), SSE, counter(SSE), TOPICS, counter(TOPICS));

  private SlowConsumers() {
  }

  private static Counter counter(String endpoint) {
    return Counter.builder("switchboard.slow.consumer.disconnects")
        .description("Connections closed because their client did not read, by endpoint")
        .tag("endpoint", endpoint).register(Metrics.globalRegistry);
  }

  /** Registers the counters, so that each series exists from zero before the first cut. */
  public static void register() {
    // Loading the class registered them.
  }

  /** One connection of {@code endpoint} was closed for not reading. */
  public static void cut(String endpoint) {
    COUNTERS.get(endpoint).increment();
  }
}
