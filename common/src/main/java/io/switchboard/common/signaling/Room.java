package io.switchboard.common.signaling;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Room is the value stored per room in the cluster: its members, each with the gateway node it is
 * connected to, in join order, and a version that grows with every change.
 *
 * <p>It is stored in a Hazelcast map, so it must be on the classpath of every member: that is why it
 * lives in common and uses only JDK types.
 *
 * @param version grows with every membership change; events carry it so gateways can order them
 * @param members peer id to gateway node id, in join order
 */
public record Room(long version, Map<String, String> members) implements Serializable {

  private static final long serialVersionUID = 1L;

  public Room {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  /** A copy of the members that can be changed. */
  LinkedHashMap<String, String> mutableMembers() {
    return new LinkedHashMap<>(members);
  }
}
