package io.switchboard.gateway.node;

import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * GatewayConfig holds the gateway's own settings, read once from the environment.
 *
 * @param httpHost interface the HTTP server binds ({@code HTTP_HOST})
 * @param httpPort HTTP port, 0 for an ephemeral one ({@code HTTP_PORT})
 * @param eventLoops event loops that serve client connections, each with its own share of the
 *     connections ({@code GATEWAY_EVENT_LOOPS}; half the cores by default)
 * @param echoTimeout how long a WebSocket echo waits for echo-service ({@code ECHO_TIMEOUT_MS})
 * @param echoMaxInFlight echo requests in flight per connection before reading pauses ({@code ECHO_MAX_IN_FLIGHT})
 * @param echoBatchMaxMessages most messages forwarded to echo-service in one batch ({@code ECHO_BATCH_MAX_MESSAGES})
 * @param echoBatchMaxBytes size at which a batch is sent without waiting for the end of the
 *     event-loop turn ({@code ECHO_BATCH_MAX_BYTES})
 * @param readyTimeout how long {@code /ready} waits for each service probe ({@code READY_TIMEOUT_MS})
 * @param readyStable how long the cluster's member list must have been unchanged before
 *     {@code /ready} says 200 ({@code READY_STABLE_MS})
 * @param wsMaxMessageBytes largest WebSocket message accepted ({@code WS_MAX_MESSAGE_BYTES})
 * @param wsCompression whether WebSocket clients may negotiate compression ({@code WS_COMPRESSION})
 * @param wsCloseLinger how long a WebSocket whose frame was refused goes on being read, and its
 *     bytes dropped, so that its client receives the close frame ({@code WS_CLOSE_LINGER_MS})
 * @param shutdownGrace how long shutdown waits for clients to acknowledge close ({@code SHUTDOWN_GRACE_MS})
 * @param sse SSE streams and topic API ({@code SSE_*})
 * @param stats cluster statistics and the dashboard feed ({@code CLUSTER_STATS_*})
 */
public record GatewayConfig(
    String httpHost,
    int httpPort,
    int eventLoops,
    Duration echoTimeout,
    int echoMaxInFlight,
    int echoBatchMaxMessages,
    int echoBatchMaxBytes,
    Duration readyTimeout,
    Duration readyStable,
    int wsMaxMessageBytes,
    boolean wsCompression,
    Duration wsCloseLinger,
    Duration shutdownGrace,
    SseConfig sse,
    ClusterStatsConfig stats) {

  public static GatewayConfig from(Env env) {
    return new GatewayConfig(
        env.string("HTTP_HOST", "0.0.0.0"),
        env.integer("HTTP_PORT", 8080, 0, 65535),
        env.integer("GATEWAY_EVENT_LOOPS", defaultEventLoops(), 1, 256),
        env.millis("ECHO_TIMEOUT_MS", 3000, 10, 600_000),
        env.integer("ECHO_MAX_IN_FLIGHT", 256, 1, 65536),
        env.integer("ECHO_BATCH_MAX_MESSAGES", 256, 1, 65536),
        env.integer("ECHO_BATCH_MAX_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
        env.millis("READY_TIMEOUT_MS", 1000, 10, 60_000),
        env.millis("READY_STABLE_MS", 3000, 0, 600_000),
        env.integer("WS_MAX_MESSAGE_BYTES", 65536, 128, 16 * 1024 * 1024),
        env.bool("WS_COMPRESSION", false),
        env.millis("WS_CLOSE_LINGER_MS", 1000, 0, 60_000),
        env.millis("SHUTDOWN_GRACE_MS", 2000, 0, 60_000),
        SseConfig.from(env),
        ClusterStatsConfig.from(env));
  }

  /**
   * Half the cores, at least one: the rest go to what every connection's traffic also costs, the
   * kernel's network stack, the event bus and the garbage collector (see docs/configuration.md).
   */
  static int defaultEventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** Defaults with an ephemeral port, for tests. */
  public static GatewayConfig defaults() {
    return from(new Env(java.util.Map.of("HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1")));
  }

  public GatewayConfig withEchoTimeout(Duration timeout) {
    return new GatewayConfig(httpHost, httpPort, eventLoops, timeout, echoMaxInFlight, echoBatchMaxMessages,
        echoBatchMaxBytes, readyTimeout, readyStable, wsMaxMessageBytes, wsCompression, wsCloseLinger, shutdownGrace, sse, stats);
  }

  public GatewayConfig withEchoBatchMaxMessages(int messages) {
    return new GatewayConfig(httpHost, httpPort, eventLoops, echoTimeout, echoMaxInFlight, messages,
        echoBatchMaxBytes, readyTimeout, readyStable, wsMaxMessageBytes, wsCompression, wsCloseLinger, shutdownGrace, sse, stats);
  }

  public GatewayConfig withEventLoops(int loops) {
    return new GatewayConfig(httpHost, httpPort, loops, echoTimeout, echoMaxInFlight, echoBatchMaxMessages,
        echoBatchMaxBytes, readyTimeout, readyStable, wsMaxMessageBytes, wsCompression, wsCloseLinger, shutdownGrace, sse, stats);
  }

  public GatewayConfig withSse(SseConfig settings) {
    return new GatewayConfig(httpHost, httpPort, eventLoops, echoTimeout, echoMaxInFlight, echoBatchMaxMessages,
        echoBatchMaxBytes, readyTimeout, readyStable, wsMaxMessageBytes, wsCompression, wsCloseLinger, shutdownGrace, settings, stats);
  }
}
