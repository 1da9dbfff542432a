package io.switchboard.common.topics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PresenceSet is who is present on one topic: the WebSocket connections subscribed to it on any
 * gateway, each with the gateway node that holds it and its user (null when it has none). It is
 * stored in a Hazelcast map, so it uses only JDK types.
 *
 * @param nodes connection id to the Vert.x node id of its gateway, in the order they arrived
 * @param users connection id to its user, for the connections that have one
 */
public record PresenceSet(LinkedHashMap<String, String> nodes, HashMap<String, String> users)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** One present connection. */
  public record Present(String id, String user) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public static PresenceSet empty() {
    return new PresenceSet(new LinkedHashMap<>(), new HashMap<>());
  }

  /** Everyone present, in the order they arrived. */
  public List<Present> present() {
    List<Present> present = new ArrayList<>(nodes.size());
    nodes.keySet().forEach(id -> present.add(new Present(id, users.get(id))));
    return present;
  }

  /** A copy with {@code id} added, or moved to {@code node}. */
  PresenceSet with(String id, String node, String user) {
    PresenceSet copy = copy();
    copy.nodes.put(id, node);
    if (user != null) {
      copy.users.put(id, user);
    }
    return copy;
  }

  /** A copy without {@code id}. */
  PresenceSet without(String id) {
    PresenceSet copy = copy();
    copy.nodes.remove(id);
    copy.users.remove(id);
    return copy;
  }

  /** Those of this set on nodes that are not in {@code liveNodes}. */
  Map<String, String> on(java.util.Set<String> liveNodes, boolean live) {
    Map<String, String> found = new LinkedHashMap<>();
    nodes.forEach((id, node) -> {
      if (liveNodes.contains(node) == live) {
        found.put(id, node);
      }
    });
    return found;
  }

  /** Everyone of both sets, this one's first: the two sides of a split merging. */
  PresenceSet union(PresenceSet other) {
    PresenceSet joined = copy();
    other.nodes.forEach(joined.nodes::putIfAbsent);
    other.users.forEach(joined.users::putIfAbsent);
    return joined;
  }

  boolean isEmpty() {
    return nodes.isEmpty();
  }

  private PresenceSet copy() {
    return new PresenceSet(new LinkedHashMap<>(nodes), new HashMap<>(users));
  }
}
