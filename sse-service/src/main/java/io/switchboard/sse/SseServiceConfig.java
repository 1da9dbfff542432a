package io.switchboard.sse;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.switchboard.common.sse.history.HistoryLimits;
import java.time.Duration;
import java.util.Map;

/**
 * SseServiceConfig holds sse-service's settings, read once from the environment.
 *
 * <p>Each append applies the history limits of the instance that stores it, so every sse-service
 * instance of a cluster should use the same values.
 *
 * <p>The cluster's history is bounded by construction: at most {@code maxTopics} topics of at most
 * {@code historyMaxBytesPerTopic} each, and their product is at most {@code historyMaxBytes}.
 * Without {@code SSE_MAX_TOPICS}, the topic cap is what the budget allows.
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
 * @param topicTtlSeconds how long a topic lives without an event or a subscriber
 *     ({@code SSE_TOPIC_TTL_SECONDS})
 * @param historyMaxBytes what the history of every topic together may take ({@code SSE_HISTORY_MAX_BYTES})
 * @param historyMaxBytesPerTopic what one topic's events and keys may take
 *     ({@code SSE_HISTORY_MAX_BYTES_PER_TOPIC})
 * @param createRatePerMinute topics one creator may create per minute on average, 0 for no limit
 *     ({@code SSE_TOPIC_CREATE_RATE_PER_MINUTE})
 * @param createBurst topics one creator may create at once ({@code SSE_TOPIC_CREATE_BURST})
 */
public record SseServiceConfig(
    int historySize,
    int historyTtlSeconds,
    Duration tickInterval,
    Duration tickerRetry,
    int maxTopics,
    int idempotencyWindowSeconds,
    int idempotencyMaxKeys,
    int topicTtlSeconds,
    long historyMaxBytes,
    long historyMaxBytesPerTopic,
    int createRatePerMinute,
    int createBurst) {

  static final int MAX_TOPICS_LIMIT = 10_000_000;

  public static SseServiceConfig from(Env env) {
    int window = env.integer("PUBLISH_IDEMPOTENCY_WINDOW_SECONDS", 300, 1, 7 * 24 * 3600);
    long budget = env.longInteger("SSE_HISTORY_MAX_BYTES", 128L << 20, HistoryLimits.MIN_BYTES, 1L << 40);
    long perTopic = perTopic(env, budget);
    return new SseServiceConfig(
        env.integer("SSE_HISTORY_SIZE", 1000, 1, 1_000_000),
        env.integer("SSE_HISTORY_TTL_SECONDS", 0, 0, 365 * 24 * 3600),
        env.millis("SSE_TICK_INTERVAL_MS", 1000, 10, 3_600_000),
        env.millis("SSE_TICKER_RETRY_MS", 1000, 50, 60_000),
        maxTopics(env, budget, perTopic),
        window,
        env.integer("PUBLISH_IDEMPOTENCY_MAX_KEYS", 10_000, 1, 1_000_000),
        topicTtl(env, window),
        budget,
        perTopic,
        env.integer("SSE_TOPIC_CREATE_RATE_PER_MINUTE", 10, 0, 1_000_000),
        env.integer("SSE_TOPIC_CREATE_BURST", 30, 1, 1_000_000));
  }

  private static long perTopic(Env env, long budget) {
    String name = "SSE_HISTORY_MAX_BYTES_PER_TOPIC";
    long perTopic = env.longInteger(name, 128L << 10, HistoryLimits.MIN_BYTES, 1L << 40);
    if (perTopic > budget) {
      throw new ConfigException(name, "at most SSE_HISTORY_MAX_BYTES (" + budget + ")", env.raw(name));
    }
    return perTopic;
  }

  /** As many topics as the budget holds, or fewer when {@code SSE_MAX_TOPICS} says so. */
  private static int maxTopics(Env env, long budget, long perTopic) {
    String name = "SSE_MAX_TOPICS";
    long fits = Math.min(budget / perTopic, MAX_TOPICS_LIMIT);
    int topics = env.integer(name, (int) fits, 1, MAX_TOPICS_LIMIT);
    if (topics > fits) {
      throw new ConfigException(name, "at most SSE_HISTORY_MAX_BYTES / SSE_HISTORY_MAX_BYTES_PER_TOPIC ("
          + budget + " / " + perTopic + " = " + fits + ")", env.raw(name));
    }
    return topics;
  }

  /** A topic outlives its idempotency keys: expiry never forgets a key within its window. */
  private static int topicTtl(Env env, int window) {
    String name = "SSE_TOPIC_TTL_SECONDS";
    int ttl = env.integer(name, 3600, 1, 365 * 24 * 3600);
    if (ttl < window) {
      throw new ConfigException(name, "at least PUBLISH_IDEMPOTENCY_WINDOW_SECONDS (" + window + ")",
          env.raw(name));
    }
    return ttl;
  }

  /** The defaults, as with an empty environment. */
  public static SseServiceConfig defaults() {
    return from(new Env(Map.of()));
  }

  /** The bounds of each topic's history. */
  public HistoryLimits limits() {
    return new HistoryLimits(historySize, historyTtlSeconds * 1000L,
        idempotencyWindowSeconds * 1000L, idempotencyMaxKeys, historyMaxBytesPerTopic);
  }

  /** How long a topic lives without an event or a subscriber. */
  public Duration topicTtl() {
    return Duration.ofSeconds(topicTtlSeconds);
  }

  public SseServiceConfig withHistorySize(int size) {
    return new SseServiceConfig(size, historyTtlSeconds, tickInterval, tickerRetry, maxTopics,
        idempotencyWindowSeconds, idempotencyMaxKeys, topicTtlSeconds, historyMaxBytes,
        historyMaxBytesPerTopic, createRatePerMinute, createBurst);
  }

  public SseServiceConfig withMaxTopics(int topics) {
    return new SseServiceConfig(historySize, historyTtlSeconds, tickInterval, tickerRetry, topics,
        idempotencyWindowSeconds, idempotencyMaxKeys, topicTtlSeconds, historyMaxBytes,
        historyMaxBytesPerTopic, createRatePerMinute, createBurst);
  }
}
