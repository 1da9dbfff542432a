package io.switchboard.common.signaling;

import com.hazelcast.map.EntryProcessor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * EvictNodes removes from a room every peer connected to a gateway node that is no longer in the
 * cluster. It runs over every room when a member leaves or dies.
 *
 * @param liveNodes the Vert.x node ids of the cluster's current members; peers on any other node
 *     are removed
 * @param nowMillis the caller's clock, see {@link JoinRoom}
 */
public record EvictNodes(Set<String> liveNodes, long nowMillis)
    implements EntryProcessor<String, Room, RoomChange> {

  private static final long serialVersionUID = 1L;

  public EvictNodes {
    liveNodes = Set.copyOf(liveNodes);
  }

  @Override
  public RoomChange process(Map.Entry<String, Room> entry) {
    Room room = entry.getValue();
    if (room == null) {
      return null;
    }
    LinkedHashMap<String, String> members = new LinkedHashMap<>();
    LinkedHashMap<String, String> removed = new LinkedHashMap<>();
    room.members().forEach((peer, node) -> (liveNodes.contains(node) ? members : removed).put(peer, node));
    if (removed.isEmpty()) {
      // Null results are left out of executeOnEntries' answer: only changed rooms come back.
      return null;
    }
    long version = RoomVersions.next(room, nowMillis);
    Map<String, String> users = room.usersOf(members.keySet());
    entry.setValue(members.isEmpty() ? null : room.changed(version, members, users));
    return new RoomChange(RoomChange.Outcome.REMOVED, version, members, removed, users, Map.of(), room.version());
  }
}
