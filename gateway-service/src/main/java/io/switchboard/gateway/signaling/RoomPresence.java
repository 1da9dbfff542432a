package io.switchboard.gateway.signaling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RoomPresence is one connection's view of the room it joined: the other members, the gateway
 * node each is connected to and the user of each that has one. It starts from the snapshot in the
 * join reply and follows presence events, which it uses to route relays without asking the cluster.
 * The users of departed peers are remembered as long as their versions are, so that their
 * departure can name them.
 *
 * <p>Events may arrive late or out of order when several signaling instances send them. Each carries
 * the room version of its change; an event is applied only when it is newer than the last one applied
 * for the same peer (or than the snapshot), so a late {@code joined} never resurrects a peer that
 * already left, and a member is announced at most once.
 *
 * <p>The peers of a gateway node that left the cluster are gone as far as plain events go, until
 * signaling-service's eviction of each arrives: a join of that peer newer than its eviction was
 * made after it, by a node found alive after all, and is applied. A join from before the loss that
 * arrives late is older than the eviction, and is not. The reconciliation of the room after a merge
 * of split clusters, newer than anything the view applied before the loss, brings them back too
 * ({@link #rejoined}): the node was cut off, not dead.
 */
final class RoomPresence {

  /** Departed peers whose versions are remembered, beyond which the oldest are forgotten. */
  private static final int MAX_DEPARTED = 256;

  private final String room;
  private final String self;
  private final long snapshotVersion;
  private final Map<String, String> members = new LinkedHashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, String> users = new HashMap<>();
  /** Peers of lost nodes, to their nodes: no plain event about them is applied until their eviction. */
  private final Map<String, String> lost = new HashMap<>();
  /** The newest version applied, or the snapshot's. */
  private long latest;

  /** A view of members without users. */
  RoomPresence(String room, String self, long snapshotVersion, Map<String, String> snapshot) {
    this(room, self, snapshotVersion, snapshot, Map.of());
  }

  /** {@code snapshotUsers}: peer id to user of the snapshot's members that have one. */
  RoomPresence(String room, String self, long snapshotVersion, Map<String, String> snapshot,
      Map<String, String> snapshotUsers) {
    this.room = room;
    this.self = self;
    this.snapshotVersion = snapshotVersion;
    this.latest = snapshotVersion;
    snapshot.forEach((peer, node) -> {
      if (!peer.equals(self)) {
        members.put(peer, node);
        if (snapshotUsers.get(peer) != null) {
          users.put(peer, snapshotUsers.get(peer));
        }
      }
    });
  }

  String room() {
    return room;
  }

  /** The other members' ids, in join order. */
  List<String> peers() {
    return List.copyOf(members.keySet());
  }

  /** The gateway node of a member, or null when {@code peer} is not in the room. */
  String nodeOf(String peer) {
    return members.get(peer);
  }

  Map<String, String> members() {
    return members;
  }

  /** The user of a member, or of a departed peer still remembered; null when it has none. */
  String userOf(String peer) {
    return users.get(peer);
  }

  /** Peer id to user of the other members that have one, in join order. */
  Map<String, String> users() {
    Map<String, String> named = new LinkedHashMap<>();
    for (String peer : members.keySet()) {
      if (users.containsKey(peer)) {
        named.put(peer, users.get(peer));
      }
    }
    return named;
  }

  /** Applies a join of a peer without a user. */
  boolean joined(String peer, String node, long version) {
    return joined(peer, node, null, version);
  }

  /** Applies a join; true when the peer is new to this view and should be announced. */
  boolean joined(String peer, String node, String user, long version) {
    if (!newer(peer, version)) {
      return false;
    }
    return add(peer, node, user, version);
  }

  /**
   * Applies a member listed by the reconciliation of the room after a merge; true when the peer is
   * new to this view and should be announced. Unlike a plain join it brings back a peer of a node
   * that was lost, since it is newer than anything applied before the loss.
   */
  boolean rejoined(String peer, String node, String user, long version) {
    if (peer.equals(self) || version <= versions.getOrDefault(peer, snapshotVersion)) {
      return false;
    }
    lost.remove(peer);
    return add(peer, node, user, version);
  }

  /** True when the view dropped peers of {@code node} for its loss and has not heard of them since. */
  boolean lostOn(String node) {
    return lost.containsValue(node);
  }

  /**
   * {@code listed} are the room's members as signaling-service lists them at {@code version}, after
   * the nodes of some of them were lost and came back: the lost peers it lists count again, whatever
   * the versions this view holds for them, so that a reconciliation at {@code version} brings them back.
   */
  void relist(Collection<String> listed, long version) {
    for (String peer : listed) {
      if (lost.remove(peer) != null) {
        versions.put(peer, Math.min(versions.getOrDefault(peer, snapshotVersion), version - 1));
      }
    }
  }

  /** The members of this view that are not in {@code members}, in join order. */
  List<String> absentFrom(Set<String> members) {
    List<String> absent = new ArrayList<>();
    for (String peer : this.members.keySet()) {
      if (!members.contains(peer)) {
        absent.add(peer);
      }
    }
    return absent;
  }

  private boolean add(String peer, String node, String user, long version) {
    versions.put(peer, version);
    latest = Math.max(latest, version);
    if (user == null) {
      users.remove(peer);
    } else {
      users.put(peer, user);
    }
    return members.put(peer, node) == null;
  }

  /** Applies a departure; true when the peer was in this view and its departure should be announced. */
  boolean left(String peer, long version) {
    if (lost.remove(peer) != null) {
      // A lost node's peer left (its eviction, or a departure from before the loss that came late),
      // announced already: what is newer counts from now.
      versions.merge(peer, version, Math::max);
      latest = Math.max(latest, version);
      return false;
    }
    if (!newer(peer, version)) {
      return false;
    }
    versions.put(peer, version);
    latest = Math.max(latest, version);
    boolean present = members.remove(peer) != null;
    forgetOldDepartures();
    return present;
  }

  /**
   * Drops every member connected to a gateway node that left the cluster; returns their ids. Their
   * departure is final, so no later plain event about them, however new, is applied; only a
   * reconciliation newer than what this view knew brings them back.
   */
  List<String> nodeLost(String node) {
    List<String> gone = new ArrayList<>();
    members.entrySet().removeIf(member -> {
      if (member.getValue().equals(node)) {
        gone.add(member.getKey());
        return true;
      }
      return false;
    });
    for (String peer : gone) {
      versions.put(peer, latest);
      lost.put(peer, node);
    }
    forgetOldDepartures();
    return gone;
  }

  private boolean newer(String peer, long version) {
    return !peer.equals(self) && !lost.containsKey(peer) && version > versions.getOrDefault(peer, snapshotVersion);
  }

  private void forgetOldDepartures() {
    if (versions.size() - members.size() <= MAX_DEPARTED) {
      return;
    }
    List<Map.Entry<String, Long>> departed = new ArrayList<>();
    for (Map.Entry<String, Long> entry : versions.entrySet()) {
      if (!members.containsKey(entry.getKey())) {
        departed.add(entry);
      }
    }
    departed.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
    for (int i = 0; i < departed.size() / 2; i++) {
      String peer = departed.get(i).getKey();
      versions.remove(peer);
      users.remove(peer);
      lost.remove(peer);
    }
  }
}
