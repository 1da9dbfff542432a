package io.switchboard.signaling;

import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** SignalingVerticle wires the signaling service's consumers on one node. */
public final class SignalingVerticle extends VerticleBase {

  private final String nodeId;

  public SignalingVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return ServiceProbe.register(vertx, ServiceRole.SIGNALING, nodeId);
  }
}
