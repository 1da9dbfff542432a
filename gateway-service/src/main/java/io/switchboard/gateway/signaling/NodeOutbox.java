package io.switchboard.gateway.signaling;

import io.switchboard.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NodeOutbox sends this node's relays and broadcasts to other gateway nodes in batches: what is
 * addressed to one node during an event-loop turn travels as one event-bus message, a
 * {@link JsonArray} of deliveries (a single delivery goes as it is). Deliveries to one node keep
 * their order. Used from the gateway verticle's event loop only.
 */
final class NodeOutbox {

  private final Context context;
  private final EventBus bus;
  private final int maxBatch;
  private final Map<String, JsonArray> pending = new LinkedHashMap<>();
  private boolean flushScheduled;

  NodeOutbox(Context context, EventBus bus, int maxBatch) {
    this.context = context;
    this.bus = bus;
    this.maxBatch = maxBatch;
  }

  void send(String node, JsonObject delivery) {
    JsonArray batch = pending.computeIfAbsent(node, n -> new JsonArray());
    batch.add(delivery);
    if (batch.size() >= maxBatch) {
      pending.remove(node);
      send(node, batch);
    } else if (!flushScheduled) {
      flushScheduled = true;
      // Runs once the frames read in this turn, from every connection, have been routed.
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    pending.forEach(this::send);
    pending.clear();
  }

  private void send(String node, JsonArray batch) {
    Object body = batch.size() == 1 ? batch.getValue(0) : batch;
    bus.send(Addresses.gatewaySignaling(node), body);
  }
}
