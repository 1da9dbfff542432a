package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.PresenceEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PresenceFrames applies a presence event of a connection's room to its {@link RoomPresence} and
 * writes to the client the {@code peer-joined} and {@code peer-left} frames of what changed.
 */
final class PresenceFrames {

  private PresenceFrames() {
  }

  /** A write that finds the socket closed drops the frame: the rest of the event goes nowhere. */
  static void apply(PresenceEvent event, RoomPresence view, RoomDirectory rooms, SessionSocket out) {
    if (event.reconciled()) {
      applyReconciliation(event, view, out);
      return;
    }
    String room = view.room();
    long version = event.version();
    event.joined().forEach((peer, peerNode) -> {
      String user = event.users().get(peer);
      // A join on a gateway that is gone already can arrive after its loss; its eviction follows.
      if (!rooms.isLost(peerNode) && view.joined(peer, peerNode, user, version)) {
        out.write(RoomFrames.peerJoined(room, peer, user));
      }
    });
    for (String peer : event.left()) {
      if (view.left(peer, version)) {
        out.write(RoomFrames.peerLeft(room, peer, view.userOf(peer)));
      }
    }
  }

  /**
   * The room as a join made again found it, after this peer was evicted by mistake or the node of a
   * room-mate came back: applied like a reconciliation, less the members of nodes this gateway knows
   * are lost. Room-mates dropped for their node's loss count again when it lists them.
   */
  static void applyRejoin(JoinReply reply, RoomPresence view, RoomDirectory rooms, SessionSocket out) {
    Map<String, String> members = new LinkedHashMap<>(reply.members());
    members.values().removeIf(rooms::isLost);
    view.relist(members.keySet(), reply.version());
    applyReconciliation(PresenceEvent.reconciliation(reply.room(), reply.version(), members, List.of(),
        reply.users(), List.of()), view, out);
  }

  /**
   * The room after a merge of split clusters, whole: the connection hears of the departure of the
   * members its view has that are gone, then of the members its view lacks. The event is newer than
   * what either side knew, so the peers of gateway nodes that were cut off count again; the nodes it
   * lists were in the cluster when it was made.
   */
  private static void applyReconciliation(PresenceEvent event, RoomPresence view, SessionSocket out) {
    String room = view.room();
    long version = event.version();
    for (String peer : view.absentFrom(event.joined().keySet())) {
      if (view.left(peer, version)) {
        out.write(RoomFrames.peerLeft(room, peer, view.userOf(peer)));
      }
    }
    event.joined().forEach((peer, peerNode) -> {
      String user = event.users().get(peer);
      if (view.rejoined(peer, peerNode, user, version)) {
        out.write(RoomFrames.peerJoined(room, peer, user));
      }
    });
  }
}
