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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>It also remembers the entries of its own connections. When a data member comes or goes, it
 * writes back those that are missing: the cluster state that held them was lost, as when the only
 * data member restarts, or two go at once. Each one written back is told as a join again. A little
 * later, once every gateway has written back its own, it asks for presence to be read again: the
 * connections of gateways that died with that state cannot be swept, since nothing lists them.
 */
public final class HazelcastTopicPresence implements TopicPresence {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastTopicPresence.class);
  static final long SWEEP_PERIOD_MS = 30_000;
  /** From a data member's arrival or loss to the reading again of presence. */
  static final long REREAD_DELAY_MS = 3_000;

  private final ClusterNode node;
  private final Vertx vertx;
  private Changes changes;
  /** This node's entries, {@code topic|connection} to their value, as long as they are present. */
  private final Map<String, String> own = new ConcurrentHashMap<>();
  private volatile IMap<String, String> map;
  private UUID membership;
  private long timer = -1;

  public HazelcastTopicPresence(ClusterNode node) {
    this.node = node;
    this.vertx = node.vertx();
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
    own.put(ownKey(topic, connectionId), value);
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
    boolean wasOwn = own.remove(ownKey(topic, connectionId)) != null;
    Context context = vertx.getOrCreateContext();
    return presenceMap().compose(presence -> HazelcastFutures.call(
        () -> presence.removeAsync(PresenceKeys.key(topic, node.nodeId(), connectionId)), context))
        .map(old -> old != null || wasOwn);
  }

  @Override
  public void start(Changes changes) {
    this.changes = changes;
    membership = node.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        if (!event.getMember().isLiteMember()) {
          restore();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        sweep();
        if (!event.getMember().isLiteMember()) {
          restore();
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

  /**
   * Writes back this node's entries that the map lost, off the event loops, then has presence read
   * again. Fails quietly without a data member: the next one to come restores them.
   */
  private void restore() {
    vertx.<List<PresenceKeys.Entry>>executeBlocking(() -> {
      IMap<String, String> map = presence();
      Map<String, String> keys = new HashMap<>();
      own.keySet().forEach(ownKey -> keys.put(key(ownKey), ownKey));
      // Those the map holds, read at once; those it lost, written at once; then waited for.
      Map<String, String> held = map.getAll(keys.keySet());
      Map<String, CompletableFuture<Void>> writes = new HashMap<>();
      keys.forEach((key, ownKey) -> {
        String value = own.get(ownKey);
        if (!held.containsKey(key) && value != null) {
          writes.put(key, map.setAsync(key, value).toCompletableFuture());
        }
      });
      List<PresenceKeys.Entry> restored = new ArrayList<>();
      for (Map.Entry<String, CompletableFuture<Void>> write : writes.entrySet()) {
        write.getValue().get();
        String value = own.get(keys.get(write.getKey()));
        if (value == null) {
          // It left while being written back.
          map.remove(write.getKey());
        } else {
          restored.add(PresenceKeys.decode(write.getKey(), value));
        }
      }
      return restored;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().forEach(e -> changes.restored(e.topic(), new Present(e.id(), e.user())));
      } else {
        LOG.warn("Could not write back the topic presence of this gateway: {}", ar.cause().toString());
      }
      vertx.setTimer(REREAD_DELAY_MS, id -> changes.reread());
    });
  }

  /** The map's key of one of this node's entries, under the node's id of now. */
  private String key(String ownKey) {
    int split = ownKey.indexOf('|');
    return PresenceKeys.key(ownKey.substring(0, split), node.nodeId(), ownKey.substring(split + 1));
  }

  /** The key of one of this node's entries in {@link #own}; the node's id may change. */
  private static String ownKey(String topic, String connectionId) {
    return topic + '|' + connectionId;
  }

  @Override
  public void stop() {
    vertx.cancelTimer(timer);
    if (membership != null && node.hazelcast().getLifecycleService().isRunning()) {
      node.hazelcast().getCluster().removeMembershipListener(membership);
    }
  }
}
