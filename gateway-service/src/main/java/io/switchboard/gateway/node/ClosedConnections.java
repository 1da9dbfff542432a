package io.switchboard.gateway.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ClosedConnections counts the client connections that closed, by endpoint and reason:
 * {@code switchboard_connections_closed_total{endpoint,reason}}. A WebSocket's reason is its close
 * code, as the closing side sent it ({@code 1006} when the connection ended without one, {@code
 * other} for a code not listed here); a stream's is what ended it ({@link #CLIENT},
 * {@link #RECONNECT}, {@link #TOKEN_EXPIRED}, {@link #SLOW_CONSUMER}, {@link #DISCONNECTED},
 * {@link #ERROR}). The reasons are label values, so there are only these. Any thread may count.
 */
public final class ClosedConnections {

  /** The client went away. */
  public static final String CLIENT = "client";
  /** The gateway asked the client to reconnect: it is shutting down. */
  public static final String RECONNECT = "reconnect";
  /** The stream's token expired. */
  public static final String TOKEN_EXPIRED = "token-expired";
  /** The client did not read what it was sent. */
  public static final String SLOW_CONSUMER = "slow-consumer";
  /** An operator disconnected the user, or revoked the stream's token. */
  public static final String DISCONNECTED = "disconnected";
  /** A write failed. */
  public static final String ERROR = "error";

  private static final Set<Integer> CODES = Set.of(1000, 1001, 1002, 1003, 1006, 1007, 1008, 1009, 1011,
      4001, 4003);
  private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

  private ClosedConnections() {
  }

  /** A WebSocket of {@code endpoint} closed with {@code code}, null when no close frame said one. */
  public static void webSocket(Endpoint endpoint, Short code) {
    int status = code == null ? 1006 : code;
    count(endpoint, CODES.contains(status) ? Integer.toString(status) : "other");
  }

  /** A stream closed, for {@code reason}, one of this class's. */
  public static void stream(String reason) {
    count(Endpoint.SSE, reason);
  }

  private static void count(Endpoint endpoint, String reason) {
    COUNTERS.computeIfAbsent(endpoint.label() + ' ' + reason, key -> Counter.builder("switchboard.connections.closed")
        .description("Client connections closed, by endpoint and close code or cause")
        .tag("endpoint", endpoint.label()).tag("reason", reason)
        .register(Metrics.globalRegistry)).increment();
  }
}
