package io.switchboard.gateway.limits;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.time.Duration;
import java.util.List;

/**
 * LimitsConfig holds the gateway's connection limits and connection timeouts, read once from the
 * environment. The per-address and per-user limits are off (0) by default in open mode, where one
 * load generator may open tens of thousands of connections, and on by default with
 * {@code AUTH_MODE=jwt}.
 *
 * @param perIp WebSockets and streams one client address may hold on one gateway, 0 for no limit
 *     ({@code LIMIT_CONNECTIONS_PER_IP})
 * @param perUser WebSockets and streams one user may hold across the cluster, 0 for no limit
 *     ({@code LIMIT_CONNECTIONS_PER_USER})
 * @param total client connections of every kind one gateway holds ({@code LIMIT_CONNECTIONS}; the
 *     open-file limit less a reserve, see {@link OpenFiles})
 * @param userCheckTimeout how long a connection waits for the cluster's count of its user's
 *     connections ({@code LIMIT_USER_CHECK_TIMEOUT_MS})
 * @param trustedProxies addresses, ranges and names of the proxies whose {@code X-Forwarded-For}
 *     is believed ({@code TRUSTED_PROXIES})
 * @param trustedProxiesRefresh how often the names among {@code trustedProxies} are resolved again
 *     ({@code TRUSTED_PROXIES_REFRESH_MS})
 * @param headerTimeout how long a connection may take to send complete request headers
 *     ({@code HTTP_HEADER_TIMEOUT_MS})
 * @param idleTimeout how long a connection may wait between requests ({@code HTTP_IDLE_TIMEOUT_MS})
 * @param pingInterval period of the pings sent on every WebSocket, zero for none
 *     ({@code WS_PING_INTERVAL_MS})
 */
public record LimitsConfig(
    int perIp,
    int perUser,
    int total,
    Duration userCheckTimeout,
    List<String> trustedProxies,
    Duration trustedProxiesRefresh,
    Duration headerTimeout,
    Duration idleTimeout,
    Duration pingInterval) {

  /** {@code LIMIT_CONNECTIONS_PER_IP} with {@code AUTH_MODE=jwt}. */
  public static final int JWT_PER_IP = 200;
  /** {@code LIMIT_CONNECTIONS_PER_USER} with {@code AUTH_MODE=jwt}. */
  public static final int JWT_PER_USER = 20;
  private static final int MAX_LIMIT = 100_000_000;
  private static final long MIN_PING_MILLIS = 100;

  public LimitsConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  public static LimitsConfig from(Env env) {
    boolean jwt = "jwt".equalsIgnoreCase(env.raw("AUTH_MODE"));
    List<String> proxies = env.list("TRUSTED_PROXIES", List.of());
    TrustedProxies.check("TRUSTED_PROXIES", proxies);
    Duration ping = env.millis("WS_PING_INTERVAL_MS", 30_000, 0, 3_600_000);
    if (!ping.isZero() && ping.toMillis() < MIN_PING_MILLIS) {
      throw new ConfigException("WS_PING_INTERVAL_MS", "0 or a whole number of milliseconds from "
          + MIN_PING_MILLIS + " to 3600000", String.valueOf(ping.toMillis()));
    }
    return new LimitsConfig(
        env.integer("LIMIT_CONNECTIONS_PER_IP", jwt ? JWT_PER_IP : 0, 0, MAX_LIMIT),
        env.integer("LIMIT_CONNECTIONS_PER_USER", jwt ? JWT_PER_USER : 0, 0, MAX_LIMIT),
        env.integer("LIMIT_CONNECTIONS", Math.min(OpenFiles.defaultConnectionLimit(), MAX_LIMIT), 1, MAX_LIMIT),
        env.millis("LIMIT_USER_CHECK_TIMEOUT_MS", 3000, 10, 60_000),
        proxies,
        env.millis("TRUSTED_PROXIES_REFRESH_MS", 5000, 100, 3_600_000),
        env.millis("HTTP_HEADER_TIMEOUT_MS", 10_000, 100, 600_000),
        env.millis("HTTP_IDLE_TIMEOUT_MS", 60_000, 100, 3_600_000),
        ping);
  }
}
