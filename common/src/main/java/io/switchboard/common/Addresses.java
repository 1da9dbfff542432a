package io.switchboard.common;

/**
 * Addresses is the one place where event-bus address strings live.
 *
 * <p>Every clustered consumer registration is a write to Hazelcast, so services register a fixed
 * number of addresses per node, never one per browser connection.
 */
public final class Addresses {

  private static final String PREFIX = "switchboard.";

  /**
   * Batched echo requests: an {@link io.switchboard.common.echo.EchoBatch} of messages, answered
   * with a batch of their replies by any echo-service instance. Gateways forward through this.
   */
  public static final String ECHO_BATCH = PREFIX + "echo.batch";

  /** SSE publish requests from gateways, answered by any sse-service instance. */
  public static final String SSE_PUBLISH = PREFIX + "sse.publish";

  /** SSE history reads from gateways, answered by any sse-service instance. */
  public static final String SSE_HISTORY = PREFIX + "sse.history";

  /**
   * Topics with subscribers, reported by each gateway node to any sse-service instance so that
   * they do not expire.
   */
  public static final String SSE_TOUCH = PREFIX + "sse.touch";

  /**
   * Ephemeral topic events ({@code "store": false} on {@code /ws/topics}): never stored, published
   * by the gateway that took them to every event loop of every gateway, at most once.
   */
  public static final String TOPIC_EPHEMERAL = PREFIX + "topics.ephemeral";

  /**
   * Presence on topics subscribed over WebSocket: a connection that joined or left a topic,
   * published by the gateway that saw it, or that swept the connections of a lost gateway, to every
   * event loop of every gateway.
   */
  public static final String TOPIC_PRESENCE = PREFIX + "topics.presence";

  /**
   * Every event loop of every gateway, told to read topic presence again and bring its
   * subscribers with presence up to it: published by a gateway that wrote back entries the cluster
   * state had lost, so that the connections of gateways that died with that state leave.
   */
  public static final String TOPIC_PRESENCE_REREAD = PREFIX + "topics.presence.reread";

  /** Stored SSE events, published by sse-service to every gateway node (one consumer per node). */
  public static final String SSE_EVENTS = PREFIX + "sse.events";

  /** Node statistics: every service on every node publishes a snapshot here about once a second. */
  public static final String CLUSTER_STATS = PREFIX + "cluster.stats";

  /**
   * Topic deletions by an operator, answered by any sse instance with {@code {"deleted": true|false}}.
   * The deletion itself is announced to every gateway on {@link #SSE_EVENTS}.
   */
  public static final String SSE_DELETE = PREFIX + "sse.delete";

  /** Signaling control requests (join, leave, room listings), answered by any signaling instance. */
  public static final String SIGNALING_ROOMS = PREFIX + "signaling.rooms";

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

  /** The operator controls of one gateway node: disconnects, revocations and kicks of its clients. */
  public static String gatewayControl(String nodeId) {
    return gatewayNode(nodeId) + ".control";
  }

  /**
   * The signaling inbox of one gateway node: presence events, relays and broadcasts for its local
   * peers. A sub-address of {@link #gatewayNode(String)}, so other features delivering to the same
   * node never share a consumer with signaling.
   */
  public static String gatewaySignaling(String nodeId) {
    return gatewayNode(nodeId) + ".signaling";
  }
}
