package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.Future;
import java.util.List;

/**
 * RoomMembership is the room side of one signaling connection: it runs the connection's joins and
 * leaves through the {@link RoomDirectory}, one at a time in its {@link RoomRequests}, keeps the
 * {@link RoomPresence} of the room it is in, and writes to the client what happens in that room.
 * Deliveries that arrive while a join is in flight are held, and applied once the join's reply is in.
 *
 * <p>A join is checked against the connection's grants when its turn comes, and a refresh that
 * narrows them takes the connection out of a room they no longer allow: the room a connection is in
 * is always one its current token allows.
 */
final class RoomMembership {

  private final SignalingSession session;
  private final SignalingConfig config;
  private final RoomDirectory rooms;
  private final PeerRouter router;
  private final SessionSocket out;
  private final RoomRequests requests;
  private final RoomRejoin rejoin;
  private RoomPresence presence;
  private final PresenceOrder order;
  private String joining;
  private HeldDeliveries held;

  RoomMembership(SignalingSession session, SignalingConfig config, RoomDirectory rooms, PeerRouter router,
      SessionSocket out) {
    this.session = session;
    this.config = config;
    this.rooms = rooms;
    this.router = router;
    this.out = out;
    this.requests = new RoomRequests(session.peerId(), config.maxQueuedRequests(), out);
    this.rejoin = new RoomRejoin(this, session, rooms, out, config.mergeSettle(), router, requests);
    this.order = new PresenceOrder(router, config.presenceGapWait().toMillis(), this::applyPresence);
  }

  /** The room joined, or null before the first join and after a leave. */
  RoomPresence presence() {
    return presence;
  }

  void requestJoin(String room) {
    requests.request(() -> join(room));
  }

  void requestLeave() {
    requests.request(this::leave);
  }

  /**
   * The connection's grants changed: leaves the room, with reason {@code forbidden}, after the joins
   * and leaves queued before, if they no longer allow it. Not counted against the queue's limit: the server asks, not the client.
   */
  void recheck() {
    requests.add(() -> presence != null && !session.mayJoin(presence.room())
        ? leave(RoomFrames.FORBIDDEN) : Future.succeededFuture());
  }

  /**
   * An operator takes the connection out of {@code room}, after the joins and leaves queued
   * before: it gets {@code left} with reason {@code kicked}. False when it is neither in the room
   * nor joining it.
   */
  boolean kick(String room) {
    boolean here = (presence != null && presence.room().equals(room)) || room.equals(joining);
    if (here) {
      requests.add(() -> presence != null && presence.room().equals(room)
          ? leave(RoomFrames.KICKED) : Future.succeededFuture());
    }
    return here;
  }

  // ---- joins and leaves, one at a time

  private Future<?> join(String room) {
    if (!session.mayJoin(room)) {
      out.error(ErrorCode.FORBIDDEN, "Not allowed to join room " + room);
      return Future.succeededFuture();
    }
    if (presence != null && presence.room().equals(room)) {
      writeJoined();
      return Future.succeededFuture();
    }
    String leaving = presence == null ? null : presence.room();
    joining = room;
    held = new HeldDeliveries();
    router.enter(room, session);
    return rooms.join(room, session.peerId(), session.user(), leaving)
        .onSuccess(reply -> joined(room, reply))
        .onFailure(err -> joinFailed(room, err));
  }

  private void joined(String room, JoinReply reply) {
    List<Object> pending = held.drain();
    joining = null;
    held = null;
    if (out.closed()) {
      // The connection closed while the join was in flight: undo it.
      rooms.leaveEventually(room, session.peerId());
      return;
    }
    if (reply.leftAnother() && presence != null) {
      exitRoom(null);
    }
    presence = new RoomPresence(room, session.peerId(), reply.version(), reply.members(), reply.users());
    order.start(reply.version());
    // The reply may predate the eviction of a lost node's peers; they are gone already.
    for (String lost : rooms.lostNodes()) {
      presence.nodeLost(lost);
    }
    writeJoined();
    for (Object delivery : pending) {
      apply(delivery);
    }
  }

  private void joinFailed(String room, Throwable err) {
    joining = null;
    held = null;
    if (presence == null || !presence.room().equals(room)) {
      router.exit(room, session);
    }
    ErrorCode code = BusErrors.code(err);
    if (code == ErrorCode.TIMEOUT) {
      // The join may still land after the timeout: make sure it does not leave a ghost member.
      rooms.leaveEventually(room, session.peerId());
    }
    if (!out.closed()) {
      out.error(code, BusErrors.message(err, "signaling", config.requestTimeout()));
    }
  }

  private Future<?> leave() {
    return leave(null);
  }

  /** {@code reason} is null for a leave the client asked for. */
  private Future<?> leave(String reason) {
    if (presence == null) {
      out.error(ErrorCode.NOT_JOINED, "Not in a room");
      return Future.succeededFuture();
    }
    String room = presence.room();
    return rooms.leave(room, session.peerId())
        .onSuccess(v -> {
          if (presence != null && presence.room().equals(room)) {
            exitRoom(reason);
          }
        })
        .onFailure(err -> out.error(BusErrors.code(err),
            BusErrors.message(err, "signaling", config.requestTimeout())));
  }

  /** {@code reason} is null for a leave the client asked for. */
  void exitRoom(String reason) {
    String room = presence.room();
    presence = null;
    order.close();
    router.exit(room, session);
    out.write(RoomFrames.left(room, reason));
  }

  private void writeJoined() {
    out.write(RoomFrames.joined(session.peerId(), session.user(), presence));
  }

  /** The connection is gone: drops what is queued and leaves the room, eventually. */
  void close() {
    requests.clear();
    order.close();
    if (presence != null) {
      rooms.leaveEventually(presence.room(), session.peerId());
      presence = null;
    }
  }

  /** The room as a join made again found it at {@code version}: presence events older are old. */
  void rejoined(long version) {
    order.caughtUp(version);
  }

  // ---- what happens in the room

  /** A {@link PresenceEvent} or a peer's frame ({@link PeerDelivery}) in {@code room}. */
  void deliver(String room, Object delivery) {
    if (out.closed()) {
      return;
    }
    if (room.equals(joining)) {
      held.add(delivery);
    } else if (presence != null && presence.room().equals(room)) {
      apply(delivery);
    }
  }

  /**
   * A gateway node joined the cluster: when it is one the room's view dropped peers of for its loss,
   * the cluster took it for lost by mistake, and the room is read again (by joining it again).
   */
  void nodeJoined(String node) {
    if (!out.closed() && presence != null && presence.lostOn(node)) {
      String room = presence.room();
      requests.add(() -> rejoin.run(room, false));
    }
  }

  /** A gateway node left the cluster: its peers in the room are gone. */
  void nodeLost(String lostNode) {
    if (out.closed() || presence == null) {
      return;
    }
    String room = presence.room();
    for (String peer : presence.nodeLost(lostNode)) {
      out.write(RoomFrames.peerLeft(room, peer, presence.userOf(peer)));
    }
  }

  private void apply(Object delivery) {
    if (out.closed()) {
      // A write of the same batch found the socket closed.
      return;
    }
    if (delivery instanceof PresenceEvent event) {
      order.offer(event);
    } else if (delivery instanceof PeerDelivery frame) {
      // The sender of a broadcast is in the room too; it does not get its own frame back.
      if (!frame.broadcast() || !session.peerId().equals(frame.peer())) {
        out.writeText(frame.frame());
      }
    }
  }

  private void applyPresence(PresenceEvent event) {
    if (out.closed() || presence == null) {
      return;
    }
    if (event.reconciled() && event.overCapacity().contains(session.peerId())) {
      // The room, merged after a split of the cluster, was over capacity and this peer among its
      // latest joiners: signaling-service has removed it already.
      exitRoom(RoomFrames.OVER_CAPACITY);
      return;
    }
    PresenceFrames.apply(event, presence, rooms, out);
    if (event.evicted().contains(session.peerId())) {
      requests.add(() -> rejoin.run(event.room(), true));
    }
  }
}
