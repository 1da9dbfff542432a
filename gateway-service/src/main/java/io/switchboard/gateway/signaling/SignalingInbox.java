package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.SignalingProtocol;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingInbox receives what other nodes deliver to this gateway node's signaling address and
 * hands each to the local connections it is for: presence events from signaling-service (a
 * {@link JsonObject}), and relays and broadcasts from other gateways (a batch of
 * {@link PeerDelivery}).
 *
 * <p>It is the only signaling consumer a gateway node registers, whatever its number of
 * connections. Deliveries between peers on this same node skip the bus and come straight here.
 */
final class SignalingInbox implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingInbox.class);

  private final LocalPeers peers;

  SignalingInbox(LocalPeers peers) {
    this.peers = peers;
  }

  @Override
  public void handle(Message<Object> message) {
    if (message.body() instanceof JsonObject presence) {
      deliverPresence(presence);
    } else if (message.body() instanceof Buffer batch) {
      try {
        for (PeerDelivery delivery : PeerDelivery.decode(batch)) {
          deliver(delivery);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("Dropped a malformed delivery batch: {}", e.getMessage());
      }
    }
  }

  void deliverPresence(JsonObject delivery) {
    String room = delivery.getString("room");
    if (room == null || !SignalingProtocol.KIND_PRESENCE.equals(delivery.getString(SignalingProtocol.KIND))) {
      return;
    }
    for (SignalingSession session : peers.inRoom(room)) {
      session.onPresence(delivery);
    }
  }

  void deliver(PeerDelivery delivery) {
    if (delivery.broadcast()) {
      for (SignalingSession session : peers.inRoom(delivery.room())) {
        session.onPeerDelivery(delivery);
      }
    } else {
      SignalingSession target = peers.peer(delivery.peer());
      if (target != null) {
        target.onPeerDelivery(delivery);
      }
    }
  }
}
