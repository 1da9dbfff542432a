package io.switchboard.common.signaling;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Room is the value stored per room in the cluster: its members, each with the gateway node it is
 * connected to, in join order, the user of each member that has one, the version at which each
 * joined, a version that grows with every change, and whether a merge of split clusters left it to
 * be reconciled.
 *
 * <p>It is stored in a Hazelcast map, so it must be on the classpath of every member: that is why it
 * lives in common and uses only JDK types. It is written with Java serialization, which matches a
 * record's fields by name: a room written before a field existed reads with that field absent (a
 * room stored before members had users reads with none, one stored before join versions with none
 * and not merged), and older code reading a newer room skips the fields it does not know.
 * RoomFormatTest reads a room in the oldest format still in use.
 *
 * @param version grows with every membership change; events carry it so gateways can order them
 * @param members peer id to gateway node id, in join order
 * @param users peer id to user ({@code sub} of the member's token), for the members that have one
 * @param joins peer id to the room version its join made; members that joined before join versions
 *     were recorded have none, and count as the earliest
 * @param merged true from a merge of split clusters that joined two copies of the room until
 *     signaling-service has reconciled it ({@link ReconcileRoom})
 */
public record Room(long version, Map<String, String> members, Map<String, String> users,
    Map<String, Long> joins, boolean merged) implements Serializable {

  private static final long serialVersionUID = 1L;

  public Room {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    users = JsonFields.copyOf(users);
    joins = joins == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(joins));
  }

  /** A room whose members' join versions are not known, not merged. */
  public Room(long version, Map<String, String> members, Map<String, String> users) {
    this(version, members, users, Map.of(), false);
  }

  /** A room whose members have no users, as in {@code AUTH_MODE=open}. */
  public Room(long version, Map<String, String> members) {
    this(version, members, Map.of());
  }

  /** The version at which {@code peer} joined; 0 when it is not known. */
  public long joinVersion(String peer) {
    Long joined = joins.get(peer);
    return joined == null ? 0 : joined;
  }

  /**
   * This room after a change that left it with {@code members} and their {@code users}: their join
   * versions and a pending reconciliation are kept.
   */
  Room changed(long newVersion, Map<String, String> newMembers, Map<String, String> newUsers) {
    LinkedHashMap<String, Long> kept = new LinkedHashMap<>();
    for (String peer : newMembers.keySet()) {
      Long joined = joins.get(peer);
      if (joined != null) {
        kept.put(peer, joined);
      }
    }
    return new Room(newVersion, newMembers, newUsers, kept, merged);
  }

  /** This room with {@code peer}'s join version recorded as {@code version}. */
  Room joinedAt(String peer, long joinVersion) {
    LinkedHashMap<String, Long> updated = new LinkedHashMap<>(joins);
    updated.put(peer, joinVersion);
    return new Room(version, members, users, updated, merged);
  }

  /** A copy of the members that can be changed. */
  LinkedHashMap<String, String> mutableMembers() {
    return new LinkedHashMap<>(members);
  }

  /** The users of {@code peers}, those that have one. */
  LinkedHashMap<String, String> usersOf(Collection<String> peers) {
    LinkedHashMap<String, String> kept = new LinkedHashMap<>();
    for (String peer : peers) {
      String user = users.get(peer);
      if (user != null) {
        kept.put(peer, user);
      }
    }
    return kept;
  }
}
