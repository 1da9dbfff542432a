package io.switchboard.gateway.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.gateway.node.ConnectionCounts;
import io.switchboard.gateway.node.Endpoint;
import io.switchboard.gateway.signaling.FrameTypes;
import io.switchboard.gateway.signaling.Relays;
import io.switchboard.gateway.topic.DeliveryLag;
import io.switchboard.gateway.topic.HistoryLoss;
import io.switchboard.gateway.transport.SlowConsumers;
import java.util.List;

/**
 * GatewayMetrics publishes the gateway's own counts as Prometheus metrics. They read the counters
 * the gateway keeps anyway ({@link GatewayMeters}), so a scrape shows exactly what was counted and
 * the hot paths pay nothing more.
 *
 * <ul>
 *   <li>{@code switchboard_echo_messages_total}: messages from {@code /ws/echo} clients forwarded
 *       to echo-service;
 *   <li>{@code switchboard_events_delivered_total{transport}}: topic events handed to SSE streams
 *       ({@code sse}) and to {@code /ws/topics} subscriptions ({@code websocket});
 *   <li>{@code switchboard_signaling_frames_total{type}}: text frames from signaling clients, by
 *       type ({@link FrameTypes#TYPES});
 *   <li>{@code switchboard_connections{endpoint}}: connections open now, by endpoint ({@code echo},
 *       {@code signaling}, {@code topics}: WebSockets; {@code sse}: streams).
 * </ul>
 */
public final class GatewayMetrics {

  private GatewayMetrics() {
  }

  public static void bind(MeterRegistry registry, GatewayMeters meters, ConnectionCounts connections,
      FrameTypes frameTypes) {
    SlowConsumers.register();
    HistoryLoss.register();
    DeliveryLag.register();
    Relays.register();
    for (String type : FrameTypes.TYPES) {
      FunctionCounter.builder("switchboard.signaling.frames", frameTypes, f -> f.count(type))
          .description("Text frames received from signaling clients, by type")
          .tag("type", type).register(registry);
    }
    for (Endpoint endpoint : List.of(Endpoint.ECHO, Endpoint.SIGNALING, Endpoint.TOPICS, Endpoint.SSE)) {
      Gauge.builder("switchboard.connections", connections, c -> c.count(endpoint))
          .description("Client connections open on this gateway, by endpoint")
          .tag("endpoint", endpoint.label()).register(registry);
    }
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
