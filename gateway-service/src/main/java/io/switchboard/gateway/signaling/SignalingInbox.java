package io.switchboard.gateway.signaling;

import io.switchboard.common.signaling.PresenceEvent;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingInbox receives what other nodes deliver to this gateway node's signaling address and
 * hands each to the event loops of the local connections it is for: presence events from
 * signaling-service (a {@link PresenceEvent} as a {@link JsonObject}), and relays and broadcasts
 * from other gateways (a batch of {@link PeerDelivery}).
 *
 * <p>It is the only signaling consumer a gateway node registers, whatever its number of
 * connections, and runs on the home loop. Deliveries between peers on this same node skip the bus.
 */
final class SignalingInbox implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingInbox.class);

  private final SignalingLoop home;

  SignalingInbox(SignalingLoop home) {
    this.home = home;
  }

  @Override
  public void handle(Message<Object> message) {
    if (message.body() instanceof JsonObject json) {
      PresenceEvent presence = PresenceEvent.fromJson(json);
      if (presence != null) {
        home.routePresence(presence);
        // A reconciliation is sent as a request, so that its sender knows this node got it.
        if (message.replyAddress() != null) {
          message.reply(null);
        }
      } else {
        LOG.warn("Dropped a delivery that is not a presence event");
      }
    } else if (message.body() instanceof Buffer batch) {
      try {
        for (PeerDelivery delivery : PeerDelivery.decode(batch)) {
          home.route(delivery);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("Dropped a malformed delivery batch: {}", e.getMessage());
      }
    }
  }
}
