package io.switchboard.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps writes the times the protocol carries: UTC, ISO 8601, always to the millisecond. */
public final class Timestamps {

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {
  }

  /** {@code instant} as {@code 2026-01-01T12:00:00.000Z}. */
  public static String of(Instant instant) {
    return MILLIS.format(instant);
  }
}
