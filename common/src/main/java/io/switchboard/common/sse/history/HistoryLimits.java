package io.switchboard.common.sse.history;

/**
 * HistoryLimits bound one topic's history.
 *
 * @param capacity events retained ({@code SSE_HISTORY_SIZE})
 * @param ttlMillis age after which an event expires, 0 for never ({@code SSE_HISTORY_TTL_SECONDS})
 * @param keyWindowMillis how long an idempotency key is remembered
 *     ({@code PUBLISH_IDEMPOTENCY_WINDOW_SECONDS})
 * @param maxKeys idempotency keys remembered at most, the oldest forgotten first
 *     ({@code PUBLISH_IDEMPOTENCY_MAX_KEYS})
 * @param maxBytes what the topic's events and keys may take, counted as {@link LogEntry#bytes()}
 *     and {@link RecentKeys#bytes(String)} ({@code SSE_HISTORY_MAX_BYTES_PER_TOPIC})
 */
public record HistoryLimits(int capacity, long ttlMillis, long keyWindowMillis, int maxKeys,
    long maxBytes) {

  /** The smallest byte budget a topic may have: room for a few small events and keys. */
  public static final long MIN_BYTES = 4096;

  public HistoryLimits {
    if (maxBytes < MIN_BYTES) {
      throw new IllegalArgumentException("A topic's byte budget is at least " + MIN_BYTES);
    }
  }

  /**
   * The most an event may take: half the budget. Keys take at most the other half, so the newest
   * event always fits beside them.
   */
  public long maxEventBytes() {
    return maxBytes / 2;
  }

  /** The most the idempotency keys may take together. */
  long maxKeyBytes() {
    return maxBytes - maxEventBytes();
  }
}
