package io.switchboard.common.signaling;

import com.hazelcast.map.EntryProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ReconcileRoom finishes the merge of a room that {@link RoomMergePolicy} joined from two copies:
 * it removes the latest joiners while the room holds more than its capacity, and clears the room's
 * {@code merged} mark. It runs over every room after a merge; a room not marked is left alone, so
 * of several signaling instances that sweep at once only one reconciles each room, and reports it.
 *
 * <p>It evicts nobody for being on a gateway node missing from the cluster: the members of a side
 * that merged in join the cluster one by one, and a gateway not back yet is not dead. Peers of a
 * gateway that did die are evicted by {@link EvictNodes}, which signaling-service runs again once
 * the merge has settled.
 *
 * @param capacity the largest number of members allowed
 * @param nowMillis the caller's clock, see {@link JoinRoom}
 */
public record ReconcileRoom(int capacity, long nowMillis) implements EntryProcessor<String, Room, RoomChange> {

  private static final long serialVersionUID = 1L;

  @Override
  public RoomChange process(Map.Entry<String, Room> entry) {
    Room room = entry.getValue();
    if (room == null || !room.merged()) {
      // Null results are left out of executeOnEntries' answer: only reconciled rooms come back.
      return null;
    }
    LinkedHashMap<String, String> members = room.mutableMembers();
    // Members are in join order: the latest joiners are last.
    List<String> order = new ArrayList<>(members.keySet());
    LinkedHashMap<String, String> overCapacity = new LinkedHashMap<>();
    for (int i = capacity; i < order.size(); i++) {
      String peer = order.get(i);
      overCapacity.put(peer, members.remove(peer));
    }
    long version = RoomVersions.next(room, nowMillis);
    Map<String, String> users = room.usersOf(members.keySet());
    Room changed = room.changed(version, members, users);
    entry.setValue(new Room(changed.version(), changed.members(), changed.users(), changed.joins(), false));
    return new RoomChange(RoomChange.Outcome.RECONCILED, version, members, overCapacity, users, overCapacity);
  }
}
