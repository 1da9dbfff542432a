package io.switchboard.echo;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/** EchoVerticle wires the echo consumers, single and batched, and the liveness probe. */
public final class EchoVerticle extends VerticleBase {

  private final String nodeId;
  private final RateMeter requests = new RateMeter();
  private StatsPublisher stats;

  public EchoVerticle(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    stats = StatsPublisher.start(vertx, ServiceRole.ECHO, nodeId, () -> new JsonObject()
        .put("messagesPerSecond", requests.perSecondSinceLastRead()));
    MessageConsumer<Object> batches =
        vertx.eventBus().consumer(Addresses.ECHO_BATCH, new EchoBatchHandler(requests));
    return Future.all(batches.completion(),
        ServiceProbe.register(vertx, ServiceRole.ECHO, nodeId));
  }

  @Override
  public Future<?> stop() {
    stats.stop();
    return Future.succeededFuture();
  }
}
