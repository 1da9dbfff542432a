package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.stats.RateMeter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SignalingNode is this gateway node's signaling hub: its local peers, its one inbox consumer, and
 * the routes to other gateway nodes and to signaling-service.
 *
 * <p>Its state lives on the gateway's home event loop. The gateway serves connections on several
 * event loops; a session whose connection is on another loop hands its work to the home loop, and
 * what it writes back to its own, through a {@link Handoff} pair of that loop.
 */
public final class SignalingNode {

  /** Lost gateway nodes remembered, so that a join answered after a loss does not list its peers. */
  private static final int MAX_LOST_NODES = 64;

  private final Vertx vertx;
  private final Context home;
  private final String nodeId;
  private final LocalPeers peers = new LocalPeers();
  private final SignalingInbox inbox = new SignalingInbox(peers);
  private final RoomControl control;
  private final IceServers iceServers;
  private final RateMeter frames = new RateMeter();
  private final NodeOutbox outbox;
  private final Set<String> lostNodes = new LinkedHashSet<>();
  private volatile Thread homeThread;

  /** {@code context} is the gateway's home context: the node's signaling state lives on it. */
  public SignalingNode(Vertx vertx, Context context, String nodeId, SignalingConfig config) {
    this.vertx = vertx;
    this.home = context;
    this.nodeId = nodeId;
    this.control = new RoomControl(vertx, nodeId, config);
    this.iceServers = new IceServers(config, Clock.systemUTC());
    this.outbox = new NodeOutbox(context, vertx.eventBus(), config.batchMaxMessages());
  }

  /**
   * Registers the node's inbox; completes once the registration is known cluster-wide. Called on
   * the home context.
   */
  public Future<Void> start() {
    homeThread = Thread.currentThread();
    // Unregistered with the gateway verticle when it is undeployed.
    MessageConsumer<Object> consumer =
        vertx.eventBus().consumer(Addresses.gatewaySignaling(nodeId), inbox);
    return consumer.completion();
  }

  /**
   * Tells this node's connections that a gateway node left the cluster, so their room-mates on it
   * are announced gone at once. signaling-service evicts those peers from the rooms as well; its
   * notifications that follow are recognised as already applied.
   */
  public void nodeLost(String lostNode) {
    if (lostNode.equals(nodeId) || !lostNodes.add(lostNode)) {
      return;
    }
    if (lostNodes.size() > MAX_LOST_NODES) {
      lostNodes.remove(lostNodes.iterator().next());
    }
    for (SignalingSession session : peers.all()) {
      session.onNodeLost(lostNode);
    }
  }

  /**
   * A node joined the cluster. A node the cluster dropped by mistake (a network partition) comes
   * back under the same id once the cluster heals: its peers count again from then on.
   */
  public void nodeJoined(String node) {
    lostNodes.remove(node);
  }

  /**
   * The handoffs between the home loop and the event loop of {@code context}, shared by the
   * sessions of that loop; called on that loop, once the node has started.
   */
  Handoff.Pair handoffs(Context context) {
    boolean sameThread = Thread.currentThread() == homeThread;
    return new Handoff.Pair(new Handoff(context, home, sameThread), new Handoff(home, context, sameThread));
  }

  /** Gateway nodes lost and not back, oldest first. */
  Collection<String> lostNodes() {
    return List.copyOf(lostNodes);
  }

  /** True when {@code node} left the cluster and has not come back. */
  boolean isLost(String node) {
    return lostNodes.contains(node);
  }

  /** Members connected to this node, per room, for the cluster view. */
  public Map<String, Integer> membersByRoom() {
    return peers.roomSizes();
  }

  /** Frames received from this node's signaling connections. */
  public RateMeter frames() {
    return frames;
  }

  /**
   * Delivers to a gateway node's signaling inbox: this one directly, another over the bus in the
   * batch of this event-loop turn.
   */
  void send(String targetNode, PeerDelivery delivery) {
    if (targetNode.equals(nodeId)) {
      inbox.deliver(delivery);
    } else {
      outbox.send(targetNode, delivery);
    }
  }

  LocalPeers peers() {
    return peers;
  }

  RoomControl control() {
    return control;
  }

  IceServers iceServers() {
    return iceServers;
  }
}
