package io.switchboard.common;

/**
 * Addresses is the one place where event-bus address strings live.
 *
 * <p>Every clustered consumer registration is a write to Hazelcast, so services register a fixed
 * number of addresses per node, never one per browser connection.
 */
public final class Addresses {

  private static final String PREFIX = "switchboard.";

  /** Echo requests: a String or Buffer body, answered by any echo-service instance. */
  public static final String ECHO_REQUEST = PREFIX + "echo.request";

  /** Node statistics: every service on every node publishes a snapshot here about once a second. */
  public static final String CLUSTER_STATS = PREFIX + "cluster.stats";

  private Addresses() {
  }

  /** Liveness probe answered by every live instance of a service role. */
  public static String probe(ServiceRole role) {
    return PREFIX + role.id() + ".probe";
  }

  /** The address of one gateway node, used to route deliveries to its local connections. */
  public static String gatewayNode(String nodeId) {
    return PREFIX + "gateway.node." + nodeId;
  }
}
