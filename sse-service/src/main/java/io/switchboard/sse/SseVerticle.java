package io.switchboard.sse;

import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** SseVerticle wires the sse service's consumers on one node. */
public final class SseVerticle extends VerticleBase {

  private final String nodeId;
  private StatsPublisher stats;

  public SseVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    stats = StatsPublisher.start(vertx, ServiceRole.SSE, nodeId, JsonObject::new);
    return ServiceProbe.register(vertx, ServiceRole.SSE, nodeId);
  }

  @Override
  public Future<?> stop() {
    stats.stop();
    return Future.succeededFuture();
  }
}
