package io.switchboard.gateway.signaling;

import io.switchboard.common.log.LogFields;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.Fanout;
import io.vertx.core.Context;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingLoop is the signaling of one of the gateway's event loops: the sessions of the
 * connections on it, its batches to other gateway nodes, and its handoffs to the other loops of
 * the node. It is the {@link PeerRouter} of the sessions on its loop, and is used from that loop only.
 */
public final class SignalingLoop implements PeerRouter {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingLoop.class);

  private final SignalingNode node;
  private final Context context;
  private final LocalPeers peers;
  private final NodeOutbox outbox;
  private final Map<SignalingLoop, Handoff> handoffs = new HashMap<>();
  private volatile Thread thread;

  SignalingLoop(SignalingNode node, Context context, EventBus bus, int batchMaxMessages) {
    this.node = node;
    this.context = context;
    this.peers = new LocalPeers(this, node.peerLoops(), node.roomMembers());
    this.outbox = new NodeOutbox(context, bus, batchMaxMessages);
  }

  Context context() {
    return context;
  }

  /** Records the loop's thread; called on it. */
  void bindToCurrentThread() {
    thread = Thread.currentThread();
  }

  /**
   * Runs {@code work} on {@code target}'s loop, after this turn; at once when both share a thread.
   * Called on this loop.
   */
  void handTo(SignalingLoop target, Runnable work) {
    handoffs.computeIfAbsent(target, t -> new Handoff(context, t.context, thread == t.thread)).run(work);
  }

  /** A session of a connection on this loop, which may do what {@code access} allows. */
  SignalingSession session(ServerWebSocket ws, SignalingConfig config, SocketAccess access, Runnable onClose) {
    return new SignalingSession(ws, config, node.rooms(), this, node.iceServers(), node.frames(),
        node.frameTypes(), access,
        onClose);
  }

  /** Takes this loop's {@code peer} out of {@code room}; false when it is not here or not in it. */
  boolean kick(String room, String peer) {
    SignalingSession session = peers.peer(peer);
    return session != null && session.kick(room);
  }

  @Override
  public void attach(SignalingSession session) {
    peers.add(session);
  }

  @Override
  public void detach(SignalingSession session) {
    peers.remove(session);
  }

  @Override
  public void enter(String room, SignalingSession session) {
    peers.enter(room, session);
  }

  @Override
  public void exit(String room, SignalingSession session) {
    peers.exit(room, session);
  }

  /**
   * Delivers to a gateway node's signaling: this node's own peers without the bus, other nodes in
   * the batch of this event-loop turn.
   */
  @Override
  public void send(String targetNode, PeerDelivery delivery) {
    if (targetNode.equals(node.nodeId())) {
      route(delivery);
    } else {
      outbox.send(targetNode, delivery);
    }
  }

  @Override
  public long setTimer(long delayMillis, Runnable task) {
    return context.owner().setTimer(delayMillis, id -> task.run());
  }

  @Override
  public void cancelTimer(long id) {
    context.owner().cancelTimer(id);
  }

  /**
   * Hands a delivery for this node's peers to the loops that hold them, through the home loop: it
   * then comes after the presence events that the home loop handed over before.
   */
  void route(PeerDelivery delivery) {
    SignalingLoop home = node.home();
    if (home != this) {
      handTo(home, () -> home.route(delivery));
      return;
    }
    if (delivery.broadcast()) {
      for (SignalingLoop loop : node.loops()) {
        handTo(loop, () -> loop.deliver(delivery));
      }
    } else {
      SignalingLoop target = node.loopOf(delivery.peer());
      if (target != null) {
        handTo(target, () -> target.deliver(delivery));
      }
    }
  }

  /** Hands presence events of a room to every loop: any may hold members of it. */
  void routePresence(PresenceEvent presence) {
    for (SignalingLoop loop : node.loops()) {
      handTo(loop, () -> loop.deliverPresence(presence));
    }
    if (presence.reconciled()) {
      leaveForGhosts(presence);
    }
  }

  /**
   * A reconciliation after a merge may list peers of this node that are no longer in the room: a
   * part of the cluster that could not evict them kept them while they closed or moved on. Each is
   * taken out of the room, and its room-mates hear {@code peer-left}. Called on the home loop.
   */
  private void leaveForGhosts(PresenceEvent presence) {
    String room = presence.room();
    presence.joined().forEach((peer, peerNode) -> {
      if (!peerNode.equals(node.nodeId())) {
        return;
      }
      SignalingLoop holder = node.loopOf(peer);
      if (holder == null) {
        LOG.atInfo().addKeyValue(LogFields.PEER, peer).addKeyValue(LogFields.ROOM, room)
            .log("A merge put peer {} back in room {}, but its connection is gone: taking it out", peer, room);
        node.rooms().leaveEventually(room, peer);
      } else {
        handTo(holder, () -> holder.leaveIfNotIn(room, peer));
      }
    });
  }

  private void leaveIfNotIn(String room, String peer) {
    SignalingSession session = peers.peer(peer);
    if (session == null || !peers.inRoom(room).contains(session)) {
      LOG.atInfo().addKeyValue(LogFields.PEER, peer).addKeyValue(LogFields.ROOM, room)
          .log("A merge put peer {} back in room {}, which it left: taking it out", peer, room);
      node.rooms().leaveEventually(room, peer);
    }
  }

  private void deliver(PeerDelivery delivery) {
    if (delivery.broadcast()) {
      Fanout.each(peers.inRoom(delivery.room()), session -> session.onPeerDelivery(delivery),
          "Broadcast in room " + delivery.room());
    } else {
      SignalingSession target = peers.peer(delivery.peer());
      if (target != null) {
        target.onPeerDelivery(delivery);
      }
    }
  }

  private void deliverPresence(PresenceEvent presence) {
    String room = presence.room();
    Fanout.each(peers.inRoom(room), session -> session.onPresence(presence), "Presence of room " + room);
  }

  void nodeLost(String lostNode) {
    Fanout.each(peers.all(), session -> session.onNodeLost(lostNode), "Loss of node " + lostNode);
  }

  void nodeJoined(String node) {
    Fanout.each(peers.all(), session -> session.onNodeJoined(node), "Return of node " + node);
  }
}
