package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.node.SignalingConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SignalingNode is this gateway node's signaling hub: its one inbox consumer, the routes to other
 * gateway nodes and to signaling-service, and the directory of its peers.
 *
 * <p>The gateway serves connections on several event loops, and a session runs on the loop of its
 * connection, with that loop's {@link SignalingLoop}. The first loop is the home loop: the inbox
 * consumer runs there, and what one loop delivers to peers of this node on another loop goes
 * through it. Presence events reach every loop from the home loop too, so a session always hears
 * that a peer joined before that peer's first message: the event was on the home loop before the
 * peer even learned it had joined. What crosses loops is handed over in batches, one per loop turn;
 * with a single loop nothing crosses. The directory of which loop holds which peer, the member
 * counts and the lost nodes are shared by the loops and safe to use from any of them.
 */
public final class SignalingNode {

  private final Vertx vertx;
  private final String nodeId;
  private final LostNodes lostNodes;
  private final RoomControl control;
  private final IceServers iceServers;
  private final RateMeter frames = new RateMeter();
  private final FrameTypes frameTypes = new FrameTypes();
  private final int batchMaxMessages;
  private final List<SignalingLoop> loops = new CopyOnWriteArrayList<>();
  private final Map<String, SignalingLoop> peerLoops = new ConcurrentHashMap<>();
  private final Map<String, Integer> roomMembers = new ConcurrentHashMap<>();
  private final Promise<Void> ready = Promise.promise();
  private volatile SignalingLoop home;

  public SignalingNode(Vertx vertx, String nodeId, SignalingConfig config) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.lostNodes = new LostNodes(nodeId);
    this.control = new RoomControl(vertx, nodeId, config, lostNodes);
    this.iceServers = new IceServers(config, Clock.systemUTC());
    this.batchMaxMessages = config.batchMaxMessages();
  }

  /**
   * Adds the event loop of {@code context} to the node and returns its signaling; called on that
   * loop, by the server that serves connections there. The first loop becomes the home loop and
   * registers the node's inbox there, unregistered with its verticle.
   */
  public synchronized SignalingLoop addLoop(Context context) {
    SignalingLoop loop = new SignalingLoop(this, context, vertx.eventBus(), batchMaxMessages);
    loop.bindToCurrentThread();
    loops.add(loop);
    if (home == null) {
      home = loop;
      MessageConsumer<Object> consumer =
          vertx.eventBus().consumer(Addresses.gatewaySignaling(nodeId), new SignalingInbox(loop));
      consumer.completion().onComplete(ready);
    }
    return loop;
  }

  /**
   * Completes once the node's inbox is registered cluster-wide: no loop takes connections before,
   * so no presence event for them can miss the node.
   */
  public Future<Void> ready() {
    return ready.future();
  }

  /** The loop the inbox runs on; null before the first loop. */
  SignalingLoop home() {
    return home;
  }

  /** This node's signaling rooms, in signaling-service. */
  RoomDirectory rooms() {
    return control;
  }

  /**
   * Tells this node's connections that a gateway node left the cluster, so their room-mates on it
   * are announced gone at once. signaling-service evicts those peers from the rooms as well; its
   * notifications that follow are recognised as already applied. May be called on any thread.
   */
  public void nodeLost(String lostNode) {
    if (!lostNodes.add(lostNode)) {
      return;
    }
    SignalingLoop from = home;
    if (from != null) {
      from.context().runOnContext(v -> {
        for (SignalingLoop loop : loops) {
          from.handTo(loop, () -> loop.nodeLost(lostNode));
        }
      });
    }
  }

  /**
   * A node joined the cluster. A node the cluster dropped by mistake (a network partition, a frozen
   * process) comes back under the same id once the cluster heals: its peers count again from then
   * on, and the connections whose rooms lost sight of them read their rooms again. May be called on
   * any thread.
   */
  public void nodeJoined(String node) {
    lostNodes.remove(node);
    SignalingLoop from = home;
    if (from != null) {
      from.context().runOnContext(v -> {
        for (SignalingLoop loop : loops) {
          from.handTo(loop, () -> loop.nodeJoined(node));
        }
      });
    }
  }

  /**
   * Takes {@code peer} out of {@code room} at an operator's request when it is a connection of this
   * node: it gets {@code left} with reason {@code kicked}, its room-mates {@code peer-left}. The
   * future holds whether it was here, in that room. May be called on any thread.
   */
  public Future<Boolean> kick(String room, String peer) {
    SignalingLoop loop = peerLoops.get(peer);
    if (loop == null) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> kicked = Promise.promise();
    loop.context().runOnContext(v -> kicked.complete(loop.kick(room, peer)));
    return kicked.future();
  }

  /** Whether {@code peer} is a member of {@code room}, as signaling-service says. */
  public Future<Boolean> inRoom(String room, String peer) {
    return control.roomPeers(room).map(peers -> peers.peers().contains(peer));
  }

  /** Takes {@code peer} out of {@code room} in signaling-service, wherever its connection is or was. */
  public Future<Void> removeFromRoom(String room, String peer) {
    return control.leave(room, peer);
  }

  /** Members connected to this node, per room, for the cluster view. */
  public Map<String, Integer> membersByRoom() {
    return new HashMap<>(roomMembers);
  }

  /** Frames received from this node's signaling connections. */
  public RateMeter frames() {
    return frames;
  }

  /** The same frames, by type. */
  public FrameTypes frameTypes() {
    return frameTypes;
  }

  String nodeId() {
    return nodeId;
  }

  /** Every event loop with signaling connections. */
  List<SignalingLoop> loops() {
    return loops;
  }

  /** The loop that holds {@code peer}, or null when no connection of this node is that peer. */
  SignalingLoop loopOf(String peer) {
    return peerLoops.get(peer);
  }

  Map<String, SignalingLoop> peerLoops() {
    return peerLoops;
  }

  Map<String, Integer> roomMembers() {
    return roomMembers;
  }

  IceServers iceServers() {
    return iceServers;
  }
}
