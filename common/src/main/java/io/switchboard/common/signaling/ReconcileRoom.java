package io.switchboard.common.signaling;

import com.hazelcast.map.EntryProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ReconcileRoom finishes the merge of a room that {@link RoomMergePolicy} joined from two copies:
 * it removes the peers of gateway nodes no longer in the cluster, then the latest joiners while
 * the room holds more than its capacity, and clears the room's {@code merged} mark. It runs over
 * every room after a merge; a room not marked is left alone, so of several signaling instances
 * that sweep at once only one reconciles each room, and reports it.
 *
 * @param liveNodes the Vert.x node ids of the cluster's current members
 * @param capacity the largest number of members allowed
 * @param nowMillis the caller's clock, see {@link JoinRoom}
 */
public record ReconcileRoom(Set<String> liveNodes, int capacity, long nowMillis)
    implements EntryProcessor<String, Room, RoomChange> {

  private static final long serialVersionUID = 1L;

  public ReconcileRoom {
    liveNodes = Set.copyOf(liveNodes);
  }

  @Override
  public RoomChange process(Map.Entry<String, Room> entry) {
    Room room = entry.getValue();
    if (room == null || !room.merged()) {
      // Null results are left out of executeOnEntries' answer: only reconciled rooms come back.
      return null;
    }
    LinkedHashMap<String, String> members = new LinkedHashMap<>();
    LinkedHashMap<String, String> removed = new LinkedHashMap<>();
    room.members().forEach((peer, node) -> (liveNodes.contains(node) ? members : removed).put(peer, node));
    // Members are in join order: the latest joiners are last.
    List<String> order = new ArrayList<>(members.keySet());
    LinkedHashMap<String, String> overCapacity = new LinkedHashMap<>();
    for (int i = capacity; i < order.size(); i++) {
      String peer = order.get(i);
      overCapacity.put(peer, members.remove(peer));
    }
    removed.putAll(overCapacity);
    long version = RoomVersions.next(room, nowMillis);
    Map<String, String> users = room.usersOf(members.keySet());
    Room changed = room.changed(version, members, users);
    entry.setValue(members.isEmpty() ? null
        : new Room(changed.version(), changed.members(), changed.users(), changed.joins(), false));
    return new RoomChange(RoomChange.Outcome.RECONCILED, version, members, removed, users, overCapacity);
  }
}
