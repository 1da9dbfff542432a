package io.switchboard.sse;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

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
  private UUID merges;

  public SseVerticle(String nodeId, HazelcastInstance hazelcast, SseServiceConfig config) {
    this.nodeId = nodeId;
    this.hazelcast = hazelcast;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    merges = hazelcast.getLifecycleService().addLifecycleListener(this::onLifecycle);
    TopicHistory history = new TopicHistory(vertx, hazelcast, config);
    TopicPublisher publisher = new TopicPublisher(history, vertx.eventBus(),
        () -> hazelcast.getCluster().getClusterTime());
    MessageConsumer<JsonObject> publish =
        vertx.eventBus().consumer(Addresses.SSE_PUBLISH, new PublishConsumer(publisher));
    MessageConsumer<JsonObject> read =
        vertx.eventBus().consumer(Addresses.SSE_HISTORY, new HistoryConsumer(history));
    MessageConsumer<JsonObject> touch =
        vertx.eventBus().consumer(Addresses.SSE_TOUCH, new TouchConsumer(history));
    MessageConsumer<JsonObject> delete =
        vertx.eventBus().consumer(Addresses.SSE_DELETE, new DeleteConsumer(history, vertx.eventBus()));
    ticker = new Ticker(vertx, hazelcast, publisher, config, nodeId);
    expiry = new TopicExpiry(vertx, history, config.topicTtl(), this::ticking);
    return Future.all(publish.completion(), read.completion(), touch.completion(), delete.completion(),
            ServiceProbe.register(vertx, ServiceRole.SSE, nodeId))
        .onSuccess(v -> {
          ticker.start();
          expiry.start();
          stats = StatsPublisher.start(vertx, ServiceRole.SSE, nodeId,
              () -> new JsonObject().put("ticking", ticking()));
        });
  }

  /**
   * A lifecycle event, not a membership one: only a member that merged into another cluster has
   * lost its locks, and it alone is told MERGED.
   */
  private void onLifecycle(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
      context.runOnContext(v -> {
        if (ticker != null) {
          ticker.abandon();
        }
      });
    }
  }

  /** True while this instance runs the cluster-wide ticker. */
  public boolean ticking() {
    return ticker != null && ticker.leading();
  }

  @Override
  public Future<?> stop() {
    // A member terminated at once (see MemberRejoin) has no listeners left to remove.
    if (merges != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getLifecycleService().removeLifecycleListener(merges);
    }
    if (expiry != null) {
      expiry.stop();
    }
    if (stats != null) {
      stats.stop();
    }
    return ticker == null ? Future.succeededFuture() : ticker.stop();
  }
}
