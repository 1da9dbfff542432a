package io.switchboard.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.common.ErrorCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * ErrorMetrics counts the errors a process sends its clients, by code:
 * {@code switchboard_errors_total{code}}, one series per {@link ErrorCode}, each from zero. An
 * error is counted when its HTTP body or WebSocket frame is made ({@link ErrorCode#toJson},
 * {@link ErrorCode#toFrame}), which happens only to send it.
 *
 * <p>Errors arise deep in handlers that know no registry, so the counters live in Micrometer's
 * global registry, to which each process adds its own ({@link ProcessMetrics#create}).
 */
public final class ErrorMetrics {

  private static final Map<ErrorCode, Counter> COUNTERS = new EnumMap<>(ErrorCode.class);

  static {
    for (ErrorCode code : ErrorCode.values()) {
      COUNTERS.put(code, Counter.builder("switchboard.errors").description("Errors sent to clients, by code")
          .tag("code", code.id()).register(Metrics.globalRegistry));
    }
  }

  private ErrorMetrics() {
  }

  /** Registers every code's counter, so that each series exists from zero before the first error. */
  static void register() {
    // Loading the class registered them.
  }

  public static void count(ErrorCode code) {
    COUNTERS.get(code).increment();
  }
}
