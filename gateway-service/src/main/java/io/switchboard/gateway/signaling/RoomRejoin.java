package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.Future;

/**
 * RoomRejoin joins a connection's room again when the cluster may have lost track of it: after
 * signaling-service evicted the peer while it took this gateway node for lost (an eviction notice),
 * or after a node whose peers the connection's view dropped for its loss came back. The join of a
 * member changes nothing and answers with the room as it is; the join of an evicted peer puts it
 * back. Either way the client hears what changed meanwhile, as after a merge
 * ({@link PresenceFrames#applyRejoin}). Runs as one of the connection's room requests.
 */
final class RoomRejoin {

  private final RoomMembership membership;
  private final SignalingSession session;
  private final RoomDirectory rooms;
  private final SessionSocket out;

  RoomRejoin(RoomMembership membership, SignalingSession session, RoomDirectory rooms, SessionSocket out) {
    this.membership = membership;
    this.session = session;
    this.rooms = rooms;
    this.out = out;
  }

  /**
   * Joins {@code room} again if the connection is still in it. A full room leaves the peer out
   * ({@code left}, reason {@code over-capacity}), and so does any other failure after an eviction
   * ({@code evicted}, reason {@code evicted}); after a node's return a failed join keeps the view.
   */
  Future<?> run(String room, boolean evicted) {
    if (!inRoom(room)) {
      return Future.succeededFuture();
    }
    return rooms.join(room, session.peerId(), session.user(), null)
        .onSuccess(reply -> {
          if (out.closed()) {
            rooms.leaveEventually(room, session.peerId());
          } else if (inRoom(room)) {
            PresenceFrames.applyRejoin(reply, membership.presence(), rooms, out);
            membership.rejoined(reply.version());
          }
        })
        .onFailure(err -> {
          ErrorCode code = BusErrors.code(err);
          if (evicted && code == ErrorCode.TIMEOUT) {
            // The join may still land after the timeout: make sure it does not leave a ghost member.
            rooms.leaveEventually(room, session.peerId());
          }
          if ((code == ErrorCode.ROOM_FULL || evicted) && !out.closed() && inRoom(room)) {
            membership.exitRoom(code == ErrorCode.ROOM_FULL ? RoomFrames.OVER_CAPACITY : RoomFrames.EVICTED);
          }
        });
  }

  private boolean inRoom(String room) {
    RoomPresence view = membership.presence();
    return view != null && view.room().equals(room);
  }
}
