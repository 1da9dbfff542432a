package io.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sse-service's memory bounds hold by construction, or the process does not start. */
class SseServiceConfigTest {

  private static SseServiceConfig read(Map<String, String> variables) {
    return SseServiceConfig.from(new Env(variables));
  }

  @Test
  void theDefaultTopicCapIsWhatTheHistoryBudgetHolds() {
    SseServiceConfig defaults = SseServiceConfig.defaults();
    assertEquals(128L << 20, defaults.historyMaxBytes());
    assertEquals(128L << 10, defaults.historyMaxBytesPerTopic());
    assertEquals(1024, defaults.maxTopics());
    assertEquals(64, read(Map.of("SSE_HISTORY_MAX_BYTES", String.valueOf(8L << 20))).maxTopics());
  }

  @Test
  void aTopicCapBeyondTheBudgetStopsTheProcessNamingTheVariables() {
    ConfigException error = assertThrows(ConfigException.class, () -> read(Map.of("SSE_MAX_TOPICS", "1025")));
    assertTrue(error.getMessage().startsWith("SSE_MAX_TOPICS: expected at most SSE_HISTORY_MAX_BYTES"
        + " / SSE_HISTORY_MAX_BYTES_PER_TOPIC"), error.getMessage());
    assertEquals(10, read(Map.of("SSE_MAX_TOPICS", "10")).maxTopics());
  }

  @Test
  void aTopicBudgetBeyondTheWholeBudgetStopsTheProcess() {
    ConfigException error = assertThrows(ConfigException.class, () -> read(Map.of(
        "SSE_HISTORY_MAX_BYTES", "100000", "SSE_HISTORY_MAX_BYTES_PER_TOPIC", "200000")));
    assertTrue(error.getMessage().startsWith("SSE_HISTORY_MAX_BYTES_PER_TOPIC"), error.getMessage());
  }

  @Test
  void aTopicMayNotExpireBeforeItsIdempotencyKeys() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> read(Map.of("SSE_TOPIC_TTL_SECONDS", "60")));
    assertEquals("SSE_TOPIC_TTL_SECONDS: expected at least PUBLISH_IDEMPOTENCY_WINDOW_SECONDS (300), got '60'",
        error.getMessage());
    assertEquals(60, read(Map.of("SSE_TOPIC_TTL_SECONDS", "60", "PUBLISH_IDEMPOTENCY_WINDOW_SECONDS", "60"))
        .topicTtlSeconds());
  }
}
