package io.switchboard.common.metrics;

import io.switchboard.common.config.Env;

/**
 * MetricsConfig is where a process serves its metrics and probes for operators.
 *
 * @param enabled whether the process keeps metrics at all ({@code METRICS_ENABLED}); without,
 *     {@code /metrics} answers 404 and nothing is counted for it
 * @param host the address the management port binds ({@code MANAGEMENT_HOST})
 * @param port the first port tried ({@code MANAGEMENT_PORT}); when taken, the next free one
 */
public record MetricsConfig(boolean enabled, String host, int port) {

  /** The Prometheus exporters' customary port. */
  public static final int DEFAULT_PORT = 9464;

  public static MetricsConfig from(Env env) {
    return new MetricsConfig(env.bool("METRICS_ENABLED", true), env.string("MANAGEMENT_HOST", "0.0.0.0"),
        env.integer("MANAGEMENT_PORT", DEFAULT_PORT, 1, 65535));
  }
}
