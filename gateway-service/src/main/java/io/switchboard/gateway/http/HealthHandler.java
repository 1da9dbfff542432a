package io.switchboard.gateway.http;

import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HealthHandler answers {@code GET /health}: the process is alive and serving HTTP. */
public final class HealthHandler implements Handler<RoutingContext> {

  private final ClusterView cluster;

  public HealthHandler(ClusterView cluster) {
    this.cluster = cluster;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonResponses.json(ctx.response(), 200, new JsonObject()
        .put("status", "up")
        .put("service", "gateway")
        .put("node", cluster.nodeId()));
  }
}
