package io.switchboard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void aTimeIsWrittenInUtcToTheMillisecondEvenOnAWholeSecond() {
    assertEquals("2026-01-01T12:00:00.000Z", Timestamps.of(Instant.parse("2026-01-01T12:00:00Z")));
    assertEquals("2026-01-01T12:00:00.123Z", Timestamps.of(Instant.parse("2026-01-01T12:00:00.123456789Z")));
  }
}
