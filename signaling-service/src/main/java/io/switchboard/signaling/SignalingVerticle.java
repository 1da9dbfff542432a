package io.switchboard.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * SignalingVerticle wires the signaling service on one node: room requests, node-loss eviction, the
 * reconciliation of rooms after a merge, probe.
 */
public final class SignalingVerticle extends VerticleBase {

  private final ClusterNode node;
  private final SignalingServiceConfig config;
  private NodeLossWatcher watcher;
  private MergeReconciler reconciler;
  private StatsPublisher stats;

  public SignalingVerticle(ClusterNode node, SignalingServiceConfig config) {
    this.node = node;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    RoomRegistry registry = new RoomRegistry(context, node.hazelcast(), config.roomCapacity());
    PresenceNotifier notifier = new PresenceNotifier(vertx, config.reconcileDelivery());
    watcher = new NodeLossWatcher(context, node.hazelcast(), registry, notifier, config.mergeSettle(),
        config.evictionNotice());
    reconciler = new MergeReconciler(context, node.hazelcast(), registry, notifier, watcher::sweepAfterMerge);
    stats = StatsPublisher.start(vertx, ServiceRole.SIGNALING, node.nodeId(), JsonObject::new);
    MessageConsumer<JsonObject> rooms = vertx.eventBus()
        .consumer(Addresses.SIGNALING_ROOMS, new RoomRequestHandler(registry, notifier));
    return Future.all(rooms.completion(), watcher.start(), reconciler.start(),
        ServiceProbe.register(vertx, ServiceRole.SIGNALING, node.nodeId()));
  }

  @Override
  public Future<?> stop() {
    watcher.stop();
    stats.stop();
    return reconciler.stop();
  }
}
