package io.switchboard.gateway.presence;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.HazelcastFutures;
import io.switchboard.common.topics.PresenceKeys;
import io.switchboard.common.topics.PresenceMaps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HazelcastTopicPresence keeps presence in the cluster map {@link PresenceMaps#PRESENCE} on the
 * data members: a join writes one entry, a leave removes it, and a topic's list is a range query.
 *
 * <p>When a member leaves or dies, this node sweeps away the connections of every node no longer
 * in the cluster, as every other gateway does; each one is removed, and told, by whichever sweep
 * removes it. It sweeps once at start too, for a gateway killed while alone, and every
 * {@value #SWEEP_PERIOD_MS} ms, for a gateway lost while this one was cut off.
 *
 * <p>When a data member comes or goes, {@link PresenceWriteBack} writes back the entries of this
 * node's own connections that the map lost with the cluster state that held them.
 */
public final class HazelcastTopicPresence implements TopicPresence {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastTopicPresence.class);
  static final long SWEEP_PERIOD_MS = 30_000;

  private final ClusterNode node;
  private final Vertx vertx;
  private Changes changes;
  private final PresenceWriteBack writeBack;
  private volatile IMap<String, String> map;
  private UUID membership;
  private long timer = -1;

  public HazelcastTopicPresence(ClusterNode node) {
    this.node = node;
    this.vertx = node.vertx();
    this.writeBack = new PresenceWriteBack(vertx, this::presence, node::nodeId);
  }

  /**
   * The map, on a worker thread. Its first use in a process builds its index on every partition and
   * waits for them all, for minutes while partitions migrate, so it never happens on an event loop.
   */
  private IMap<String, String> presence() {
    IMap<String, String> created = map;
    if (created == null) {
      created = node.hazelcast().getMap(PresenceMaps.PRESENCE);
      map = created;
    }
    return created;
  }

  /** The map, once created; created off the event loop the first time. */
  private Future<IMap<String, String>> presenceMap() {
    IMap<String, String> created = map;
    return created != null ? Future.succeededFuture(created) : vertx.executeBlocking(this::presence, false);
  }

  @Override
  public Future<List<Present>> join(String topic, String connectionId, String user, boolean list) {
    String key = PresenceKeys.key(topic, node.nodeId(), connectionId);
    String value = PresenceKeys.value(System.currentTimeMillis(), user);
    writeBack.remember(topic, connectionId, value);
    Context context = vertx.getOrCreateContext();
    Future<Void> written = presenceMap().compose(presence -> HazelcastFutures.call(
        () -> presence.setAsync(key, value), context));
    if (!list) {
      return written.map(List.of());
    }
    // The query visits every data member: off the event loop.
    return written.compose(v -> present(topic));
  }

  @Override
  public Future<List<Present>> present(String topic) {
    return vertx.executeBlocking(() -> presentNow(topic), false);
  }

  private List<Present> presentNow(String topic) {
    List<PresenceKeys.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, String> entry : presence().entrySet(PresenceKeys.ofTopic(topic))) {
      PresenceKeys.Entry decoded = PresenceKeys.decode(entry.getKey(), entry.getValue());
      if (decoded != null && decoded.topic().equals(topic)) {
        entries.add(decoded);
      }
    }
    entries.sort(Comparator.comparingLong(PresenceKeys.Entry::at).thenComparing(PresenceKeys.Entry::id));
    return entries.stream().map(e -> new Present(e.id(), e.user())).toList();
  }

  @Override
  public Future<Boolean> leave(String topic, String connectionId) {
    // Told even when the map lost it: whoever was told of its join must hear of its leave.
    boolean wasOwn = writeBack.forget(topic, connectionId);
    Context context = vertx.getOrCreateContext();
    return presenceMap().compose(presence -> HazelcastFutures.call(
        () -> presence.removeAsync(PresenceKeys.key(topic, node.nodeId(), connectionId)), context))
        .map(old -> old != null || wasOwn);
  }

  @Override
  public void start(Changes changes) {
    this.changes = changes;
    writeBack.start(changes);
    membership = node.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        if (!event.getMember().isLiteMember()) {
          writeBack.restore();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        sweep();
        if (!event.getMember().isLiteMember()) {
          writeBack.restore();
        }
      }
    });
    timer = vertx.setPeriodic(SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, id -> sweep());
    sweep();
  }

  /**
   * Off the cluster's event thread and the event loops: the query visits every entry. Only the
   * sweep whose remove finds an entry tells of its leave.
   */
  private void sweep() {
    vertx.<List<PresenceKeys.Entry>>executeBlocking(() -> {
      IMap<String, String> map = presence();
      List<PresenceKeys.Entry> removed = new ArrayList<>();
      for (String key : map.keySet(PresenceKeys.notOn(new HashSet<>(node.clusterManager().getNodes())))) {
        PresenceKeys.Entry entry = PresenceKeys.decode(key, map.remove(key));
        if (entry != null) {
          removed.add(entry);
        }
      }
      return removed;
    }, false)
        .onSuccess(removed -> removed.forEach(e -> changes.swept(e.topic(), new Present(e.id(), e.user()))))
        .onFailure(err -> LOG.warn("Could not sweep the topic presence of lost gateways: {}", err.toString()));
  }

  @Override
  public void stop() {
    vertx.cancelTimer(timer);
    writeBack.stop();
    if (membership != null && node.hazelcast().getLifecycleService().isRunning()) {
      node.hazelcast().getCluster().removeMembershipListener(membership);
    }
  }
}
