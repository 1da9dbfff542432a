package io.switchboard.gateway.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's SSE settings: defaults that follow the largest body, and their bounds. */
class SseConfigTest {

  @Test
  void queuedBytesDefaultTo64MibOrEightOfTheLargestBodiesWhicheverIsMore() {
    assertEquals(64 << 20, SseConfig.from(new Env(Map.of())).queuedMaxBytes());
    assertEquals(8 * (16 << 20), SseConfig.from(new Env(Map.of("SSE_MAX_BODY_BYTES", String.valueOf(16 << 20))))
        .queuedMaxBytes());
  }

  @Test
  void queuedBytesBelowEightOfTheLargestBodiesAreRefused() {
    assertThrows(ConfigException.class, () -> SseConfig.from(new Env(Map.of(
        "SSE_MAX_BODY_BYTES", String.valueOf(16 << 20), "SSE_QUEUED_MAX_BYTES", String.valueOf(64 << 20)))));
  }
}
