package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

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
  private MessageConsumer<JsonObject> consumer;

  public SignalingNode(Vertx vertx, String nodeId, SignalingConfig config) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.control = new RoomControl(vertx, nodeId, config);
    this.iceServers = new IceServers(config, Clock.systemUTC());
  }

  /** Registers the node's inbox; completes once the registration is known cluster-wide. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.gatewaySignaling(nodeId), inbox);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Number of open signaling connections on this node. */
  public int connections() {
    return peers.size();
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
