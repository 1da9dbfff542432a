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
 */
public record HistoryLimits(int capacity, long ttlMillis, long keyWindowMillis, int maxKeys) {
}
