package io.switchboard.gateway.http;

import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * HealthHandler answers {@code GET /health}: the process is alive and serving HTTP, and its
 * Hazelcast member still runs. A member that stopped (after an error, or terminated) never comes
 * back, so a liveness probe must fail and get the process restarted.
 */
public final class HealthHandler implements Handler<RoutingContext> {

  /** The {@code reason} of a failed health check whose Hazelcast member has stopped. */
  public static final String CLUSTER_STOPPED = "cluster-stopped";

  private final ClusterView cluster;

  public HealthHandler(ClusterView cluster) {
    this.cluster = cluster;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = new JsonObject()
        .put("status", "up")
        .put("service", "gateway")
        .put("node", cluster.nodeId());
    if (cluster.running()) {
      JsonResponses.json(ctx.response(), 200, body);
      return;
    }
    JsonResponses.json(ctx.response(), 503, body
        .put("status", "down")
        .put("reason", CLUSTER_STOPPED)
        .put("message", "This node's Hazelcast member has stopped; the process must be restarted"));
  }
}
