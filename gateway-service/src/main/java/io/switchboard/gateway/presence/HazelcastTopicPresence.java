package io.switchboard.gateway.presence;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.HazelcastFutures;
import io.switchboard.common.topics.JoinPresence;
import io.switchboard.common.topics.LeavePresence;
import io.switchboard.common.topics.PresenceMaps;
import io.switchboard.common.topics.PresenceSet;
import io.switchboard.common.topics.PresenceSet.Present;
import io.switchboard.common.topics.SweepPresence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HazelcastTopicPresence keeps presence in the cluster map {@link PresenceMaps#PRESENCE} on the
 * data members, each change made by an entry processor on the member that owns the topic.
 *
 * <p>When a member leaves or dies, this node sweeps away the connections of every node no longer
 * in the cluster, as every other gateway does; each one is removed, and told, by one sweep only.
 * It sweeps once at start too, for a gateway killed while alone, and every
 * {@value #SWEEP_PERIOD_MS} ms, for a gateway lost while this one was cut off.
 *
 * <p>Nothing is sent to the map while a data member of a build without topic presence is in the
 * cluster ({@link PresenceMaps#MEMBER_ATTRIBUTE}): it could not load the processors. Joins then
 * fail, leaves and sweeps do nothing.
 */
public final class HazelcastTopicPresence implements TopicPresence {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastTopicPresence.class);
  static final long SWEEP_PERIOD_MS = 30_000;
  private static final String UNAVAILABLE = "topic presence waits until every data member has it (a rolling upgrade)";

  private final ClusterNode node;
  private final Vertx vertx;
  private BiConsumer<String, Present> swept = (topic, present) -> { };
  private UUID membership;
  private long timer = -1;

  public HazelcastTopicPresence(ClusterNode node) {
    this.node = node;
    this.vertx = node.vertx();
  }

  private IMap<String, PresenceSet> presence() {
    return node.hazelcast().getMap(PresenceMaps.PRESENCE);
  }

  @Override
  public Future<List<Present>> join(String topic, String connectionId, String user, boolean list) {
    if (!PresenceMaps.everyDataMemberHasPresence(node.hazelcast())) {
      return Future.failedFuture(UNAVAILABLE);
    }
    return HazelcastFutures.onContext(
        presence().submitToKey(topic, new JoinPresence(connectionId, node.nodeId(), user, list)),
        vertx.getOrCreateContext());
  }

  @Override
  public Future<Boolean> leave(String topic, String connectionId) {
    if (!PresenceMaps.everyDataMemberHasPresence(node.hazelcast())) {
      return Future.succeededFuture(false);
    }
    return HazelcastFutures.onContext(presence().submitToKey(topic, new LeavePresence(connectionId)),
        vertx.getOrCreateContext());
  }

  @Override
  public void start(BiConsumer<String, Present> swept) {
    this.swept = swept;
    membership = node.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        sweep();
      }
    });
    timer = vertx.setPeriodic(SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, id -> sweep());
    sweep();
  }

  /** Off the cluster's event thread and the event loops: the processor visits every topic. */
  private void sweep() {
    vertx.<Map<String, List<Present>>>executeBlocking(() -> !PresenceMaps.everyDataMemberHasPresence(node.hazelcast())
        ? Map.of()
        : presence().executeOnEntries(new SweepPresence(new HashSet<>(node.clusterManager().getNodes()))), false)
        .onSuccess(removed -> removed.forEach((topic, gone) -> gone.forEach(present -> swept.accept(topic, present))))
        .onFailure(err -> LOG.warn("Could not sweep the topic presence of lost gateways: {}", err.toString()));
  }

  @Override
  public void stop() {
    vertx.cancelTimer(timer);
    if (membership != null && node.hazelcast().getLifecycleService().isRunning()) {
      node.hazelcast().getCluster().removeMembershipListener(membership);
    }
  }
}
