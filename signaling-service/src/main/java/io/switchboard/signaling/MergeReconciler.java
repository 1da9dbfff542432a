package io.switchboard.signaling;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryMergedListener;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.signaling.Room;
import io.switchboard.common.signaling.RoomChange;
import io.switchboard.common.signaling.RoomMaps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MergeReconciler finishes the rooms that a merge of split clusters joined from two copies
 * ({@code RoomMergePolicy}): it trims each to capacity, removing the latest joiners, and tells the
 * members the whole room, so every peer hears who joined on the other side and who was removed.
 * Peers of gateways that died while the cluster was split are evicted by {@link NodeLossWatcher}
 * once the merge has settled.
 *
 * <p>It sweeps the rooms when this member merged into another cluster (the lifecycle event MERGED,
 * which only the members that merged get, once their data is merged), when rooms are merged into
 * this member's cluster (the map's merge events, which the other side sends as it merges), and
 * once at start-up in case an instance stopped before it was done. A room is reconciled by an entry
 * processor that clears its mark, so however many instances sweep, each room is reconciled, and
 * announced, once. Sweeps run one at a time ({@link SweepLoop}).
 */
public final class MergeReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(MergeReconciler.class);

  private final Context context;
  private final HazelcastInstance hazelcast;
  private final RoomRegistry registry;
  private final PresenceNotifier notifier;
  private final Runnable evictLater;
  private final SweepLoop sweeps;
  private UUID lifecycleRegistration;
  private UUID mergeRegistration;

  /**
   * @param evictLater asks for the eviction of the peers of lost gateways once the merge has
   *     settled; called after every sweep that reconciled a room
   */
  public MergeReconciler(Context context, HazelcastInstance hazelcast, RoomRegistry registry,
      PresenceNotifier notifier, Runnable evictLater) {
    this.context = context;
    this.hazelcast = hazelcast;
    this.registry = registry;
    this.notifier = notifier;
    this.evictLater = evictLater;
    this.sweeps = new SweepLoop(context, "reconciling merged rooms", "reconcile-no-quorum", this::sweep,
        hazelcast.getLifecycleService()::isRunning);
  }

  /** Starts listening and sweeps once; completes when the first sweep is done. */
  public Future<Void> start() {
    lifecycleRegistration = hazelcast.getLifecycleService().addLifecycleListener(this::onLifecycle);
    IMap<String, Room> rooms = hazelcast.getMap(RoomMaps.ROOMS);
    // Registering a map listener waits for every member: off the event loop.
    return context.executeBlocking(() -> rooms.addEntryListener(new MergedRooms(), false), false)
        .compose(id -> {
          mergeRegistration = id;
          return sweeps.request();
        });
  }

  public Future<Void> stop() {
    sweeps.stop();
    // A member terminated at once has no listeners left to remove.
    if (!hazelcast.getLifecycleService().isRunning()) {
      return Future.succeededFuture();
    }
    if (lifecycleRegistration != null) {
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
    }
    UUID merges = mergeRegistration;
    return merges == null ? Future.succeededFuture() : context.executeBlocking(
        () -> hazelcast.getMap(RoomMaps.ROOMS).removeEntryListener(merges), false)
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.debug("Could not remove the rooms' merge listener: {}", err.toString());
          return Future.succeededFuture();
        });
  }

  private void onLifecycle(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
      context.runOnContext(v -> {
        LOG.info("This member merged into another cluster; reconciling merged rooms");
        sweeps.request();
      });
    }
  }

  private Future<?> sweep() {
    return registry.reconcileMerged().onSuccess(this::announce);
  }

  private void announce(Map<String, RoomChange> changes) {
    changes.forEach((room, change) -> {
      LOG.atInfo().addKeyValue(LogFields.ROOM, room).log("Reconciled room {} after a merge: {} members, {}"
          + " removed over capacity ({})", room, change.members().size(), change.overCapacity().size(),
          registry.capacity());
      notifier.reconciled(room, change);
    });
    if (!changes.isEmpty()) {
      evictLater.run();
    }
  }

  /** The map's merge events: rooms merged into this cluster by a side that merged in. */
  private final class MergedRooms implements EntryMergedListener<String, Room> {

    @Override
    public void entryMerged(EntryEvent<String, Room> event) {
      // Hazelcast's event thread: the sweep runs on the verticle's context. A burst of merged rooms
      // is covered by one sweep under way and one more after it.
      context.runOnContext(v -> sweeps.request());
    }
  }
}
