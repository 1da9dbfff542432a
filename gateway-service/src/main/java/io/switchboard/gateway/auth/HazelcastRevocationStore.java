package io.switchboard.gateway.auth;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.HazelcastFutures;
import io.vertx.core.Future;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * HazelcastRevocationStore keeps the revocations in the cluster map {@link #REVOCATIONS}, user to
 * {@code [before, untilMillis]}, each entry living until its revocation ends. Every gateway node
 * reads the map when it starts and follows its changes, so a node that joins later refuses the
 * revoked tokens too.
 */
public final class HazelcastRevocationStore implements RevocationStore {

  /** User to {@code [before (epoch seconds), until (epoch milliseconds)]}. */
  public static final String REVOCATIONS = "switchboard.auth.revocations";

  private final ClusterNode node;
  private UUID listener;

  public HazelcastRevocationStore(ClusterNode node) {
    this.node = node;
  }

  private IMap<String, long[]> map() {
    return node.hazelcast().getMap(REVOCATIONS);
  }

  @Override
  public Future<Void> start(Revocations local) {
    Follower follower = new Follower(local);
    return node.vertx().executeBlocking(() -> {
      listener = map().addEntryListener(follower, true);
      for (Map.Entry<String, long[]> entry : map().entrySet()) {
        follower.learn(entry.getKey(), entry.getValue());
      }
      return null;
    });
  }

  @Override
  public Future<Void> store(String sub, Revocations.Revocation revocation) {
    long ttl = revocation.untilMillis() - System.currentTimeMillis();
    if (ttl <= 0) {
      return Future.succeededFuture();
    }
    return HazelcastFutures.call(() -> map().putAsync(sub, new long[] {revocation.before(), revocation.untilMillis()},
        ttl, TimeUnit.MILLISECONDS), node.vertx().getOrCreateContext()).mapEmpty();
  }

  /**
   * Removes the map's listener on a worker thread: the removal waits for every member's answer,
   * which takes as long as failure detection when a member is gone.
   */
  @Override
  public Future<Void> stop() {
    if (listener == null || !node.hazelcast().getLifecycleService().isRunning()) {
      return Future.succeededFuture();
    }
    UUID registered = listener;
    listener = null;
    return node.vertx().executeBlocking(() -> map().removeEntryListener(registered), false)
        .otherwiseEmpty().mapEmpty();
  }

  /** Copies what the map learns into this node's revocations; on Hazelcast's event threads. */
  private record Follower(Revocations local)
      implements EntryAddedListener<String, long[]>, EntryUpdatedListener<String, long[]> {

    @Override
    public void entryAdded(EntryEvent<String, long[]> event) {
      learn(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, long[]> event) {
      learn(event.getKey(), event.getValue());
    }

    void learn(String sub, long[] value) {
      if (value != null && value.length == 2) {
        local.revoke(sub, new Revocations.Revocation(value[0], value[1]));
      }
    }
  }
}
