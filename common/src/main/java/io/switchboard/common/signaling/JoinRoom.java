package io.switchboard.common.signaling;

import com.hazelcast.map.EntryProcessor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JoinRoom adds a peer to a room unless the room is at capacity, atomically on the member that owns
 * the room's partition, so capacity holds however many gateways join at once.
 *
 * @param peer the joining peer id
 * @param node the gateway node the peer is connected to
 * @param user the peer's user, or null when it has none
 * @param capacity the largest number of members allowed
 * @param nowMillis the caller's clock, the base version of a new room; taken from the caller so
 *     the backup copy of this processor computes exactly the same value as the primary
 */
public record JoinRoom(String peer, String node, String user, int capacity, long nowMillis)
    implements EntryProcessor<String, Room, RoomChange> {

  private static final long serialVersionUID = 1L;

  /** The join of a peer without a user. */
  public JoinRoom(String peer, String node, int capacity, long nowMillis) {
    this(peer, node, null, capacity, nowMillis);
  }

  @Override
  public RoomChange process(Map.Entry<String, Room> entry) {
    Room room = entry.getValue();
    if (room != null && room.members().containsKey(peer)) {
      return RoomChange.unchanged(RoomChange.Outcome.ALREADY_MEMBER, room);
    }
    if (room != null && room.members().size() >= capacity) {
      return RoomChange.unchanged(RoomChange.Outcome.FULL, room);
    }
    LinkedHashMap<String, String> members = room == null ? new LinkedHashMap<>() : room.mutableMembers();
    members.put(peer, node);
    LinkedHashMap<String, String> users = room == null ? new LinkedHashMap<>() : room.usersOf(members.keySet());
    if (user != null) {
      users.put(peer, user);
    }
    long version = RoomVersions.next(room, nowMillis);
    Room updated = (room == null ? new Room(version, members, users) : room.changed(version, members, users))
        .joinedAt(peer, version);
    entry.setValue(updated);
    return new RoomChange(RoomChange.Outcome.JOINED, updated.version(), members, Map.of(), users, Map.of(),
        room == null ? 0 : room.version());
  }
}
