package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.common.stats.RateMeter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;

/**
 * SignalingNode is this gateway node's signaling hub: its local peers, its one inbox consumer, and
 * the routes to other gateway nodes and to signaling-service.
 */
public final class SignalingNode {

  private final Vertx vertx;
  private final String nodeId;
  private final LocalPeers peers = new LocalPeers();
  private final SignalingInbox inbox = new SignalingInbox(peers);
  private final RoomControl control;
  private final IceServers iceServers;
  private final RateMeter frames = new RateMeter();

  public SignalingNode(Vertx vertx, String nodeId, SignalingConfig config) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.control = new RoomControl(vertx, nodeId, config);
    this.iceServers = new IceServers(config, Clock.systemUTC());
  }

  /** Registers the node's inbox; completes once the registration is known cluster-wide. */
  public Future<Void> start() {
    // Unregistered with the gateway verticle when it is undeployed.
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(Addresses.gatewaySignaling(nodeId), inbox);
    return consumer.completion();
  }

  /** Members connected to this node, per room, for the cluster view. */
  public Map<String, Integer> membersByRoom() {
    return peers.roomSizes();
  }

  /** Frames received from this node's signaling connections. */
  public RateMeter frames() {
    return frames;
  }

  /** Delivers to a gateway node's signaling inbox: this one directly, another over the bus. */
  void send(String targetNode, JsonObject delivery) {
    if (targetNode.equals(nodeId)) {
      inbox.deliver(delivery);
    } else {
      vertx.eventBus().send(Addresses.gatewaySignaling(targetNode), delivery);
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
