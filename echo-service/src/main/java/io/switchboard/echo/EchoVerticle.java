package io.switchboard.echo;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/** EchoVerticle wires the echo consumer and the liveness probe. */
public final class EchoVerticle extends VerticleBase {

  private final String nodeId;

  public EchoVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<Object> echo = vertx.eventBus().consumer(Addresses.ECHO_REQUEST, new EchoHandler());
    return Future.all(echo.completion(), ServiceProbe.register(vertx, ServiceRole.ECHO, nodeId));
  }
}
