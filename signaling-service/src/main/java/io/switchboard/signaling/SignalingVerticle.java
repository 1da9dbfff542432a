package io.switchboard.signaling;

import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** SignalingVerticle wires the signaling service's consumers on one node. */
public final class SignalingVerticle extends VerticleBase {

  private final String nodeId;
  private StatsPublisher stats;

  public SignalingVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    stats = StatsPublisher.start(vertx, ServiceRole.SIGNALING, nodeId, JsonObject::new);
    return ServiceProbe.register(vertx, ServiceRole.SIGNALING, nodeId);
  }

  @Override
  public Future<?> stop() {
    stats.stop();
    return Future.succeededFuture();
  }
}
