package io.switchboard.gateway.signaling;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LocalPeers is this gateway node's table of its signaling connections: by peer id, and by the room
 * each is in or joining. It is used from the gateway verticle's event loop only.
 */
final class LocalPeers {

  private final Map<String, SignalingSession> byPeer = new HashMap<>();
  private final Map<String, Set<SignalingSession>> byRoom = new HashMap<>();

  void add(SignalingSession session) {
    byPeer.put(session.peerId(), session);
  }

  /** Forgets the session and every room it was in. */
  void remove(SignalingSession session) {
    byPeer.remove(session.peerId());
    byRoom.values().removeIf(sessions -> sessions.remove(session) && sessions.isEmpty());
  }

  void enter(String room, SignalingSession session) {
    byRoom.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(session);
  }

  void exit(String room, SignalingSession session) {
    Set<SignalingSession> sessions = byRoom.get(room);
    if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
      byRoom.remove(room);
    }
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

  /** Local members (joined or joining) per room. */
  Map<String, Integer> roomSizes() {
    Map<String, Integer> sizes = new HashMap<>();
    byRoom.forEach((room, sessions) -> sizes.put(room, sessions.size()));
    return sizes;
  }
}
