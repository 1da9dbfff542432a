package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.switchboard.gateway.transport.TurnBatch;
import io.vertx.core.Context;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NodeOutbox sends this node's relays and broadcasts to other gateway nodes in batches: what is
 * addressed to one node during an event-loop turn travels as one event-bus message (see
 * {@link PeerDelivery} for the bytes). Deliveries to one node keep their order. Each event loop of
 * the gateway has its own; used from that loop only.
 */
final class NodeOutbox {

  private final EventBus bus;
  private final int maxBatch;
  /** Each target node's deliveries of this turn, in the order the nodes were first sent to. */
  private final TurnBatch<Map<String, List<PeerDelivery>>> turn;

  NodeOutbox(Context context, EventBus bus, int maxBatch) {
    this.bus = bus;
    this.maxBatch = maxBatch;
    // Flushed once the frames read in this turn, from every connection, have been routed.
    this.turn = new TurnBatch<>(context, LinkedHashMap::new, pending -> pending.forEach(this::send));
  }

  void send(String node, PeerDelivery delivery) {
    Map<String, List<PeerDelivery>> pending = turn.batch();
    List<PeerDelivery> batch = pending.computeIfAbsent(node, n -> new ArrayList<>());
    batch.add(delivery);
    if (batch.size() >= maxBatch) {
      pending.remove(node);
      send(node, batch);
    } else {
      turn.flushAtEndOfTurn();
    }
  }

  private void send(String node, List<PeerDelivery> batch) {
    bus.send(Addresses.gatewaySignaling(node), PeerDelivery.encode(batch));
  }
}
