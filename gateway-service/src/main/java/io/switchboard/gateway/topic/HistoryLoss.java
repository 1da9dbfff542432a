package io.switchboard.gateway.topic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.switchboard.common.sse.HistoryPage;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * HistoryLoss counts the {@code history-lost} notices sent to clients, over SSE and WebSocket, by
 * reason: {@code switchboard_history_lost_total{reason}}, with the reasons of the protocol
 * ({@code expired}, {@code unknown}, {@code merged}) and {@code other} for any a later release
 * adds. Each series exists from zero. Any thread may count.
 */
public final class HistoryLoss {

  private static final String OTHER = "other";
  private static final Map<String, Counter> COUNTERS = List.of(HistoryPage.EXPIRED, HistoryPage.UNKNOWN,
      HistoryPage.MERGED, OTHER).stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
          reason -> Counter.builder("switchboard.history.lost")
              .description("history-lost notices sent to clients, by reason")
              .tag("reason", reason).register(Metrics.globalRegistry)));

  private HistoryLoss() {
  }

  /** Registers the counters, so that each series exists from zero before the first loss. */
  public static void register() {
    // Loading the class registered them.
  }

  /** A client was told that history was lost, for {@code reason}. */
  public static void sent(String reason) {
    COUNTERS.getOrDefault(reason, COUNTERS.get(OTHER)).increment();
  }
}
