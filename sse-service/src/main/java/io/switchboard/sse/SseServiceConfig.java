package io.switchboard.sse;

import io.switchboard.common.config.Env;
import io.switchboard.common.sse.history.HistoryLimits;
import java.time.Duration;

/**
 * SseServiceConfig holds sse-service's settings, read once from the environment.
 *
 * <p>Each append applies the history limits of the instance that stores it, so every sse-service
 * instance of a cluster should use the same values.
 *
 * @param historySize events retained per topic ({@code SSE_HISTORY_SIZE})
 * @param historyTtlSeconds age after which a retained event expires, 0 for none ({@code SSE_HISTORY_TTL_SECONDS})
 * @param tickInterval period of the cluster-wide ticker ({@code SSE_TICK_INTERVAL_MS})
 * @param tickerRetry how often an instance that does not tick tries to take over ({@code SSE_TICKER_RETRY_MS})
 * @param maxTopics topics with history the cluster keeps at most ({@code SSE_MAX_TOPICS})
 * @param idempotencyWindowSeconds how long a publish's idempotency key is remembered
 *     ({@code PUBLISH_IDEMPOTENCY_WINDOW_SECONDS})
 * @param idempotencyMaxKeys idempotency keys remembered per topic at most, the oldest forgotten
 *     first ({@code PUBLISH_IDEMPOTENCY_MAX_KEYS})
 */
public record SseServiceConfig(
    int historySize,
    int historyTtlSeconds,
    Duration tickInterval,
    Duration tickerRetry,
    int maxTopics,
    int idempotencyWindowSeconds,
    int idempotencyMaxKeys) {

  public static SseServiceConfig from(Env env) {
    return new SseServiceConfig(
        env.integer("SSE_HISTORY_SIZE", 1000, 1, 1_000_000),
        env.integer("SSE_HISTORY_TTL_SECONDS", 0, 0, 365 * 24 * 3600),
        env.millis("SSE_TICK_INTERVAL_MS", 1000, 10, 3_600_000),
        env.millis("SSE_TICKER_RETRY_MS", 1000, 50, 60_000),
        env.integer("SSE_MAX_TOPICS", 10_000, 1, 10_000_000),
        env.integer("PUBLISH_IDEMPOTENCY_WINDOW_SECONDS", 300, 1, 7 * 24 * 3600),
        env.integer("PUBLISH_IDEMPOTENCY_MAX_KEYS", 10_000, 1, 1_000_000));
  }

  /** The defaults, as with an empty environment. */
  public static SseServiceConfig defaults() {
    return from(new Env(java.util.Map.of()));
  }

  /** The bounds of each topic's history. */
  public HistoryLimits limits() {
    return new HistoryLimits(historySize, historyTtlSeconds * 1000L,
        idempotencyWindowSeconds * 1000L, idempotencyMaxKeys);
  }

  public SseServiceConfig withHistorySize(int size) {
    return new SseServiceConfig(size, historyTtlSeconds, tickInterval, tickerRetry, maxTopics,
        idempotencyWindowSeconds, idempotencyMaxKeys);
  }

  public SseServiceConfig withMaxTopics(int topics) {
    return new SseServiceConfig(historySize, historyTtlSeconds, tickInterval, tickerRetry, topics,
        idempotencyWindowSeconds, idempotencyMaxKeys);
  }
}
