package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.SignalingProtocol;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * SignalingInbox receives what other nodes deliver to this gateway node's signaling address
 * (presence events, relays, broadcasts) and hands each to the local connections it is for.
 *
 * <p>It is the only signaling consumer a gateway node registers, whatever its number of
 * connections. Deliveries between peers on this same node skip the bus and come straight here.
 * A message holds one delivery, or a {@link JsonArray} of them in order (see {@link NodeOutbox}).
 */
final class SignalingInbox implements Handler<Message<Object>> {

  private final LocalPeers peers;

  SignalingInbox(LocalPeers peers) {
    this.peers = peers;
  }

  @Override
  public void handle(Message<Object> message) {
    if (message.body() instanceof JsonObject delivery) {
      deliver(delivery);
    } else if (message.body() instanceof JsonArray batch) {
      for (Object delivery : batch) {
        if (delivery instanceof JsonObject json) {
          deliver(json);
        }
      }
    }
  }

  void deliver(JsonObject delivery) {
    String room = delivery.getString("room");
    String kind = delivery.getString(SignalingProtocol.KIND);
    if (room == null || kind == null) {
      return;
    }
    switch (kind) {
      case SignalingProtocol.KIND_RELAY:
        SignalingSession target = peers.peer(delivery.getString("target"));
        if (target != null) {
          target.onDelivery(delivery);
        }
        break;
      case SignalingProtocol.KIND_PRESENCE:
      case SignalingProtocol.KIND_BROADCAST:
        for (SignalingSession session : peers.inRoom(room)) {
          session.onDelivery(delivery);
        }
        break;
      default:
        break;
    }
  }
}
