package io.switchboard.gateway.signaling;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LocalPeers is one event loop's table of its signaling connections: by peer id, and by the room
 * each is in or joining. It keeps the node's directory (which loop holds a peer) and member counts
 * current. It is used from its event loop only.
 */
final class LocalPeers {

  private final SignalingLoop loop;
  private final Map<String, SignalingLoop> directory;
  private final Map<String, Integer> roomCounts;
  private final Map<String, SignalingSession> byPeer = new HashMap<>();
  private final Map<String, Set<SignalingSession>> byRoom = new HashMap<>();

  /** {@code directory} and {@code roomCounts} are the node's, shared by the loops. */
  LocalPeers(SignalingLoop loop, Map<String, SignalingLoop> directory, Map<String, Integer> roomCounts) {
    this.loop = loop;
    this.directory = directory;
    this.roomCounts = roomCounts;
  }

  void add(SignalingSession session) {
    byPeer.put(session.peerId(), session);
    directory.put(session.peerId(), loop);
  }

  /** Forgets the session and every room it was in. */
  void remove(SignalingSession session) {
    if (byPeer.remove(session.peerId()) != null) {
      directory.remove(session.peerId(), loop);
    }
    byRoom.entrySet().removeIf(entry -> {
      if (entry.getValue().remove(session)) {
        counted(entry.getKey(), -1);
      }
      return entry.getValue().isEmpty();
    });
  }

  void enter(String room, SignalingSession session) {
    if (byRoom.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(session)) {
      counted(room, 1);
    }
  }

  void exit(String room, SignalingSession session) {
    Set<SignalingSession> sessions = byRoom.get(room);
    if (sessions != null && sessions.remove(session)) {
      counted(room, -1);
      if (sessions.isEmpty()) {
        byRoom.remove(room);
      }
    }
  }

  private void counted(String room, int delta) {
    // A count that falls to zero removes its room.
    roomCounts.compute(room, (r, n) -> {
      int count = (n == null ? 0 : n) + delta;
      return count > 0 ? count : null;
    });
  }

  SignalingSession peer(String peerId) {
    return byPeer.get(peerId);
  }

  /** A copy of every session, safe to iterate while they change. */
  Collection<SignalingSession> all() {
    return List.copyOf(byPeer.values());
  }

  /** A copy of the sessions in or joining {@code room}, safe to iterate while they change rooms. */
  Collection<SignalingSession> inRoom(String room) {
    Set<SignalingSession> sessions = byRoom.get(room);
    return sessions == null ? List.of() : List.copyOf(sessions);
  }

}
