package io.switchboard.sse;

import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * SseServiceConfig holds sse-service's settings, read once from the environment.
 *
 * <p>History settings configure a cluster-wide ring-buffer configuration, so every sse-service
 * instance of a cluster must use the same values; an instance with different ones fails to start.
 *
 * @param historySize events retained per topic ({@code SSE_HISTORY_SIZE})
 * @param historyTtlSeconds age after which a retained event expires, 0 for none ({@code SSE_HISTORY_TTL_SECONDS})
 * @param tickInterval period of the cluster-wide ticker ({@code SSE_TICK_INTERVAL_MS})
 * @param tickerRetry how often an instance that does not tick tries to take over ({@code SSE_TICKER_RETRY_MS})
 * @param maxTopics topics with history the cluster keeps at most ({@code SSE_MAX_TOPICS})
 */
public record SseServiceConfig(
    int historySize,
    int historyTtlSeconds,
    Duration tickInterval,
    Duration tickerRetry,
    int maxTopics) {

  public static SseServiceConfig from(Env env) {
    return new SseServiceConfig(
        env.integer("SSE_HISTORY_SIZE", 1000, 1, 1_000_000),
        env.integer("SSE_HISTORY_TTL_SECONDS", 0, 0, 365 * 24 * 3600),
        env.millis("SSE_TICK_INTERVAL_MS", 1000, 10, 3_600_000),
        env.millis("SSE_TICKER_RETRY_MS", 1000, 50, 60_000),
        env.integer("SSE_MAX_TOPICS", 10_000, 1, 10_000_000));
  }

  /** The defaults, as with an empty environment. */
  public static SseServiceConfig defaults() {
    return from(new Env(java.util.Map.of()));
  }

  public SseServiceConfig withHistorySize(int size) {
    return new SseServiceConfig(size, historyTtlSeconds, tickInterval, tickerRetry, maxTopics);
  }

  public SseServiceConfig withMaxTopics(int topics) {
    return new SseServiceConfig(historySize, historyTtlSeconds, tickInterval, tickerRetry, topics);
  }
}
