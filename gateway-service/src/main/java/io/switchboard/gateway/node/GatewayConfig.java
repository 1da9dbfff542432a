package io.switchboard.gateway.node;

import io.switchboard.common.config.Env;
import io.switchboard.gateway.auth.AuthConfig;
import io.switchboard.gateway.limits.LimitsConfig;
import java.time.Duration;

/**
 * GatewayConfig holds the gateway's settings, read once from the environment: its own, and beside
 * them one sub-config per feature, each read by its own {@code from(Env)}.
 *
 * @param httpHost interface the HTTP server binds ({@code HTTP_HOST})
 * @param httpPort HTTP port, 0 for an ephemeral one ({@code HTTP_PORT})
 * @param eventLoops event loops that serve client connections, each with its own share of the
 *     connections ({@code GATEWAY_EVENT_LOOPS}; half the cores by default)
 * @param readyTimeout how long {@code /ready} waits for each service probe ({@code READY_TIMEOUT_MS})
 * @param readyStable how long the cluster's member list must have been unchanged before
 *     {@code /ready} says 200 ({@code READY_STABLE_MS})
 * @param wsMaxMessageBytes largest WebSocket message accepted ({@code WS_MAX_MESSAGE_BYTES})
 * @param wsCompression whether WebSocket clients may negotiate compression ({@code WS_COMPRESSION})
 * @param wsCloseLinger how long a WebSocket whose frame was refused goes on being read, and its
 *     bytes dropped, so that its client receives the close frame ({@code WS_CLOSE_LINGER_MS})
 * @param shutdownGrace how long shutdown waits for clients to acknowledge close ({@code SHUTDOWN_GRACE_MS})
 * @param accessLog whether each HTTP request and WebSocket upgrade is logged, under
 *     {@code io.switchboard.access} ({@code ACCESS_LOG})
 * @param echo WebSocket echo and its batches to echo-service ({@code ECHO_*})
 * @param signaling WebRTC signaling ({@code SIGNALING_*} read by the gateway)
 * @param sse SSE streams and topic API ({@code SSE_*})
 * @param topicSockets topics over WebSocket ({@code WS_TOPICS_*})
 * @param stats cluster statistics and the dashboard feed ({@code CLUSTER_STATS_*})
 * @param auth who may connect and what they may do ({@code AUTH_*})
 * @param origins the browser origins allowed besides the gateway's own ({@code ALLOWED_ORIGINS})
 * @param limits connection limits and timeouts ({@code LIMIT_*}, {@code TRUSTED_PROXIES*},
 *     {@code HTTP_*_TIMEOUT_MS}, {@code WS_PING_INTERVAL_MS})
 */
public record GatewayConfig(
    String httpHost,
    int httpPort,
    int eventLoops,
    Duration readyTimeout,
    Duration readyStable,
    int wsMaxMessageBytes,
    boolean wsCompression,
    Duration wsCloseLinger,
    Duration shutdownGrace,
    boolean accessLog,
    EchoConfig echo,
    SignalingConfig signaling,
    SseConfig sse,
    TopicSocketConfig topicSockets,
    ClusterStatsConfig stats,
    AuthConfig auth,
    OriginsConfig origins,
    LimitsConfig limits) {

  public static GatewayConfig from(Env env) {
    return new GatewayConfig(
        env.string("HTTP_HOST", "0.0.0.0"),
        env.integer("HTTP_PORT", 8080, 0, 65535),
        env.integer("GATEWAY_EVENT_LOOPS", defaultEventLoops(), 1, 256),
        env.millis("READY_TIMEOUT_MS", 1000, 10, 60_000),
        env.millis("READY_STABLE_MS", 3000, 0, 600_000),
        env.integer("WS_MAX_MESSAGE_BYTES", 65536, 128, 16 * 1024 * 1024),
        env.bool("WS_COMPRESSION", false),
        env.millis("WS_CLOSE_LINGER_MS", 1000, 0, 60_000),
        env.millis("SHUTDOWN_GRACE_MS", 2000, 0, 60_000),
        env.bool("ACCESS_LOG", false),
        EchoConfig.from(env),
        SignalingConfig.from(env),
        SseConfig.from(env),
        TopicSocketConfig.from(env),
        ClusterStatsConfig.from(env),
        AuthConfig.from(env),
        OriginsConfig.from(env),
        LimitsConfig.from(env));
  }

  /**
   * Half the cores, at least one: the rest go to what every connection's traffic also costs, the
   * kernel's network stack, the event bus and the garbage collector (see docs/configuration.md).
   */
  private static int defaultEventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }
}
