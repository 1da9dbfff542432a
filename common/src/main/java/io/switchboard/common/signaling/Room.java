package io.switchboard.common.signaling;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Room is the value stored per room in the cluster: its members, each with the gateway node it is
 * connected to, in join order, the user of each member that has one, and a version that grows with
 * every change.
 *
 * <p>It is stored in a Hazelcast map, so it must be on the classpath of every member: that is why it
 * lives in common and uses only JDK types. A room stored before members had users reads with none.
 *
 * @param version grows with every membership change; events carry it so gateways can order them
 * @param members peer id to gateway node id, in join order
 * @param users peer id to user ({@code sub} of the member's token), for the members that have one
 */
public record Room(long version, Map<String, String> members, Map<String, String> users)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public Room {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    users = JsonFields.copyOf(users);
  }

  /** A room whose members have no users, as in {@code AUTH_MODE=open}. */
  public Room(long version, Map<String, String> members) {
    this(version, members, Map.of());
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
