package io.switchboard.sse;

import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** SseVerticle wires the sse service's consumers on one node. */
public final class SseVerticle extends VerticleBase {

  private final String nodeId;

  public SseVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return ServiceProbe.register(vertx, ServiceRole.SSE, nodeId);
  }
}
