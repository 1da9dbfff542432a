package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * RoomRejoin joins a connection's room again when the cluster may have lost track of it: after
 * signaling-service evicted the peer while it took this gateway node for lost (an eviction notice),
 * or after a node whose peers the connection's view dropped for its loss came back. The join of a
 * member changes nothing and answers with the room as it is; the join of an evicted peer puts it
 * back. Either way the client hears what changed meanwhile, as after a merge
 * ({@link PresenceFrames#applyRejoin}). Runs as one of the connection's room requests.
 */
final class RoomRejoin {

  /** Pause before a join refused for a full room is tried again. */
  static final long RETRY_MILLIS = 1000;

  private final RoomMembership membership;
  private final SignalingSession session;
  private final RoomDirectory rooms;
  private final SessionSocket out;
  private final Duration settle;
  private final PeerRouter timers;
  private final RoomRequests requests;

  /** Tries again after a full room with {@code timers}, as one of the connection's {@code requests}. */
  RoomRejoin(RoomMembership membership, SignalingSession session, RoomDirectory rooms, SessionSocket out,
      Duration settle, PeerRouter timers, RoomRequests requests) {
    this.membership = membership;
    this.session = session;
    this.rooms = rooms;
    this.out = out;
    this.settle = settle;
    this.timers = timers;
    this.requests = requests;
  }

  /**
   * Joins {@code room} again if the connection is still in it. A full room leaves the peer out
   * ({@code left}, reason {@code over-capacity}), and so does any other failure after an eviction
   * ({@code evicted}, reason {@code evicted}); after a node's return a failed join keeps the view.
   *
   * <p>A refusal for a full room is final only after {@code SIGNALING_MERGE_SETTLE_MS}: until then
   * the join is tried again every second (once per second of it), as the connection's next room
   * request. A rejoin follows a merge of split clusters or a node found again, and the room may
   * still hold only the copy of the side that did not have this peer, full with the joins it took
   * while split; once the other copy is merged in, the room's reconciliation keeps the earliest
   * joiners, and tells this peer.
   */
  Future<?> run(String room, boolean evicted) {
    return attempt(room, evicted, Math.max(0, settle.toMillis() / RETRY_MILLIS));
  }

  private Future<?> attempt(String room, boolean evicted, long retriesLeft) {
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
          if (code == ErrorCode.ROOM_FULL && retriesLeft > 0) {
            timers.setTimer(RETRY_MILLIS, () -> requests.add(() -> attempt(room, evicted, retriesLeft - 1)));
          } else if ((code == ErrorCode.ROOM_FULL || evicted) && !out.closed() && inRoom(room)) {
            membership.exitRoom(code == ErrorCode.ROOM_FULL ? RoomFrames.OVER_CAPACITY : RoomFrames.EVICTED);
          }
        });
  }

  private boolean inRoom(String room) {
    RoomPresence view = membership.presence();
    return view != null && view.room().equals(room);
  }
}
