package io.switchboard.signaling;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.common.cluster.HazelcastFutures;
import io.switchboard.common.signaling.EvictNodes;
import io.switchboard.common.signaling.JoinRoom;
import io.switchboard.common.signaling.LeaveRoom;
import io.switchboard.common.signaling.ReconcileRoom;
import io.switchboard.common.signaling.Room;
import io.switchboard.common.signaling.RoomChange;
import io.switchboard.common.signaling.RoomMaps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * RoomRegistry is room membership in cluster state: a Hazelcast map of room name to {@link Room},
 * changed only by entry processors, so every change is atomic on the member that owns the room.
 *
 * <p>Every method returns a future completed on the caller's Vert.x context; Hazelcast's blocking
 * calls run on worker threads.
 */
public final class RoomRegistry {

  private final Context context;
  private final HazelcastInstance hazelcast;
  private final IMap<String, Room> rooms;
  private final int capacity;

  public RoomRegistry(Context context, HazelcastInstance hazelcast, int capacity) {
    this.context = context;
    this.hazelcast = hazelcast;
    this.rooms = hazelcast.getMap(RoomMaps.ROOMS);
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  /** Adds {@code peer}, on gateway node {@code node}, as {@code user} (null when it has none). */
  public Future<RoomChange> join(String room, String peer, String node, String user) {
    return HazelcastFutures.call(() -> rooms.submitToKey(room, new JoinRoom(peer, node, user, capacity, System.currentTimeMillis())), context);
  }

  public Future<RoomChange> leave(String room, String peer) {
    return HazelcastFutures.call(() -> rooms.submitToKey(room, new LeaveRoom(peer, System.currentTimeMillis())), context);
  }

  /** Removes every peer connected to a node not in {@code liveNodes}; returns the changed rooms. */
  public Future<Map<String, RoomChange>> evictAllBut(Set<String> liveNodes) {
    EvictNodes evict = new EvictNodes(liveNodes, System.currentTimeMillis());
    return context.executeBlocking(() -> {
      Map<String, RoomChange> changed = new LinkedHashMap<>();
      rooms.executeOnEntries(evict).forEach((room, change) -> {
        if (change != null && change.changed()) {
          changed.put(room, change);
        }
      });
      return changed;
    }, false);
  }

  /**
   * Reconciles every room a merge of split clusters left marked, removing the latest joiners over
   * capacity; returns the reconciled rooms. Nothing is swept while a member of the release before
   * {@link ReconcileRoom} is in the cluster: it cannot load the processor, and only this release's
   * merge policy marks a room.
   */
  public Future<Map<String, RoomChange>> reconcileMerged() {
    ReconcileRoom reconcile = new ReconcileRoom(capacity, System.currentTimeMillis());
    return context.executeBlocking(() -> {
      Map<String, RoomChange> reconciled = new LinkedHashMap<>();
      if (!BusProtocol.clusterAtThisVersion(hazelcast)) {
        return reconciled;
      }
      rooms.executeOnEntries(reconcile).forEach((room, change) -> {
        if (change != null) {
          reconciled.put(room, change);
        }
      });
      return reconciled;
    }, false);
  }

  /** Room name to member count, sorted by name. */
  public Future<Map<String, Integer>> sizes() {
    return context.executeBlocking(() -> {
      Map<String, Integer> sizes = new TreeMap<>();
      for (Map.Entry<String, Room> entry : rooms.entrySet()) {
        sizes.put(entry.getKey(), entry.getValue().members().size());
      }
      return sizes;
    }, false);
  }

  /** The room's members, or null when nobody is in it. */
  public Future<Room> get(String room) {
    return HazelcastFutures.call(() -> rooms.getAsync(room), context);
  }
}
