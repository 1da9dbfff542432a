package io.switchboard.common.signaling;

import com.hazelcast.map.EntryProcessor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LeaveRoom removes a peer from a room, and the room itself once it is empty.
 *
 * @param peer the leaving peer id
 * @param nowMillis the caller's clock, see {@link JoinRoom}
 */
public record LeaveRoom(String peer, long nowMillis) implements EntryProcessor<String, Room, RoomChange> {

  private static final long serialVersionUID = 1L;

  @Override
  public RoomChange process(Map.Entry<String, Room> entry) {
    Room room = entry.getValue();
    if (room == null || !room.members().containsKey(peer)) {
      return RoomChange.unchanged(RoomChange.Outcome.UNCHANGED, room);
    }
    LinkedHashMap<String, String> members = room.mutableMembers();
    String node = members.remove(peer);
    long version = RoomVersions.next(room, nowMillis);
    Map<String, String> users = room.usersOf(members.keySet());
    entry.setValue(members.isEmpty() ? null : room.changed(version, members, users));
    return new RoomChange(RoomChange.Outcome.REMOVED, version, members, Map.of(peer, node), users, Map.of(),
        room.version());
  }
}
