package io.switchboard.gateway.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * GatewayMetrics publishes the gateway's own counts as Prometheus metrics. They read the counters
 * the gateway keeps anyway ({@link GatewayMeters}), so a scrape shows exactly what was counted and
 * the hot paths pay nothing more.
 *
 * <ul>
 *   <li>{@code switchboard_echo_messages_total}: messages from {@code /ws/echo} clients forwarded
 *       to echo-service;
 *   <li>{@code switchboard_events_delivered_total{transport}}: topic events handed to SSE streams
 *       ({@code sse}) and to {@code /ws/topics} subscriptions ({@code websocket}).
 * </ul>
 */
public final class GatewayMetrics {

  private GatewayMetrics() {
  }

  public static void bind(MeterRegistry registry, GatewayMeters meters) {
    FunctionCounter.builder("switchboard.echo.messages", meters.echo(), m -> m.total())
        .description("Messages from /ws/echo clients forwarded to echo-service")
        .register(registry);
    FunctionCounter.builder("switchboard.events.delivered", meters.sse(), m -> m.total())
        .description("Topic events handed to client connections, by transport")
        .tag("transport", "sse").register(registry);
    FunctionCounter.builder("switchboard.events.delivered", meters.topics(), m -> m.total())
        .description("Topic events handed to client connections, by transport")
        .tag("transport", "websocket").register(registry);
  }
}
