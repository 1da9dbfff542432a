package io.switchboard.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * ProcessMetrics is one process's metrics registry, in Prometheus's format, with Vert.x's own
 * metrics (HTTP server, Netty, event bus) and the JVM's bound to it, and the domain metrics that
 * the services add ({@code switchboard_*}).
 *
 * <p>The event bus's meters are {@link EventBusCounters}, under Vert.x's names, registered once
 * rather than looked up for every message.
 *
 * <p>Vert.x's metrics carry only labels with bounded values: HTTP method and status, event-bus side
 * and failure, and the type and name of its thread pools. Event-bus addresses, paths and remote addresses would name peers, rooms and topics,
 * so they are never labels.
 */
public final class ProcessMetrics {

  private final PrometheusMeterRegistry registry;
  /** Where meters go when metrics are off: a registry with no backend, which keeps nothing. */
  private final MeterRegistry none = new CompositeMeterRegistry();

  private ProcessMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Meters left out. Micrometer's JVM meters whose Prometheus names break Prometheus's naming rules,
   * as {@code promtool check metrics} reports: units abbreviated ({@code jvm_compilation_time_ms_total},
   * {@code process_cpu_time_ns_total}) and a gauge named like a histogram's count
   * ({@code system_cpu_count}); {@code process_cpu_usage} and the others stay. And Vert.x's gauges
   * of event-bus handlers and pending messages, which it keeps per address: without the address,
   * which is no label here, only one address's value would show. And Vert.x's gauges of active HTTP
   * connections, requests and WebSockets, which it keeps per server instance, one per gateway event
   * loop on the same port, so that only one loop's value would show; {@code switchboard_connections}
   * counts them all.
   */
  static final Set<String> UNLINTED = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count",
      "vertx.eventbus.handlers", "vertx.eventbus.pending", "vertx.http.server.active.connections",
      "vertx.http.server.active.requests", "vertx.http.server.active.ws.connections");

  /** A fresh registry; none when metrics are off. */
  public static ProcessMetrics create(MetricsConfig config) {
    if (!config.enabled()) {
      return new ProcessMetrics(null);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.deny(id -> UNLINTED.contains(id.getName())));
    // Counters kept where no registry is at hand (ErrorMetrics) reach this one through the global.
    Metrics.addRegistry(registry);
    ErrorMetrics.register();
    return new ProcessMetrics(registry);
  }

  /** Metrics that are off: nothing is registered, and {@link #scrape()} has nothing. */
  public static ProcessMetrics disabled() {
    return new ProcessMetrics(null);
  }

  public boolean enabled() {
    return registry != null;
  }

  /** The registry domain metrics go to: a Prometheus one, or one that keeps nothing when metrics are off. */
  public MeterRegistry registry() {
    return registry != null ? registry : none;
  }

  /** The metrics in Prometheus's text format. */
  public String scrape() {
    return registry == null ? "" : registry.scrape();
  }

  /** Has {@code builder} report Vert.x's and the JVM's metrics here; returns it. */
  public VertxBuilder install(VertxBuilder builder, VertxOptions options) {
    if (registry == null) {
      return builder;
    }
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_SIDE, Label.EB_FAILURE,
            Label.POOL_TYPE, Label.POOL_NAME, Label.LOCAL)));
    return builder.with(options).withMetrics(new LeanMetricsFactory(registry));
  }
}
