package io.switchboard.sse;

import com.hazelcast.core.HazelcastInstance;
import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * SseVerticle wires the sse service on one node: history, publish, read and touch consumers,
 * ticker, and the expiry of idle topics.
 */
public final class SseVerticle extends VerticleBase {

  private final String nodeId;
  private final HazelcastInstance hazelcast;
  private final SseServiceConfig config;
  private Ticker ticker;
  private TopicExpiry expiry;
  private StatsPublisher stats;

  public SseVerticle(String nodeId, HazelcastInstance hazelcast, SseServiceConfig config) {
    this.nodeId = nodeId;
    this.hazelcast = hazelcast;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    TopicHistory history = new TopicHistory(vertx, hazelcast, config);
    TopicPublisher publisher = new TopicPublisher(history, vertx.eventBus());
    MessageConsumer<JsonObject> publish =
        vertx.eventBus().consumer(Addresses.SSE_PUBLISH, new PublishConsumer(publisher));
    MessageConsumer<JsonObject> read =
        vertx.eventBus().consumer(Addresses.SSE_HISTORY, new HistoryConsumer(history));
    MessageConsumer<JsonObject> touch =
        vertx.eventBus().consumer(Addresses.SSE_TOUCH, new TouchConsumer(history));
    ticker = new Ticker(vertx, publisher, config, nodeId);
    expiry = new TopicExpiry(vertx, history, config.topicTtl(), this::ticking);
    return Future.all(publish.completion(), read.completion(), touch.completion(),
            ServiceProbe.register(vertx, ServiceRole.SSE, nodeId))
        .onSuccess(v -> {
          ticker.start();
          expiry.start();
          stats = StatsPublisher.start(vertx, ServiceRole.SSE, nodeId,
              () -> new JsonObject().put("ticking", ticking()));
        });
  }

  /** True while this instance runs the cluster-wide ticker. */
  public boolean ticking() {
    return ticker != null && ticker.leading();
  }

  @Override
  public Future<?> stop() {
    if (ticker != null) {
      ticker.stop();
    }
    if (expiry != null) {
      expiry.stop();
    }
    if (stats != null) {
      stats.stop();
    }
    return Future.succeededFuture();
  }
}
