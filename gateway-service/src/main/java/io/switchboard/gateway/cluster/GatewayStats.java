package io.switchboard.gateway.cluster;

import io.switchboard.gateway.node.ConnectionCounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GatewayStats is this gateway's own snapshot: its open connections, the members of each room and
 * the subscribers of each topic connected here, and its message rates. The cluster view sums these
 * over every gateway.
 */
public final class GatewayStats implements Supplier<JsonObject> {

  private final ConnectionCounts connections;
  private final Supplier<List<Integer>> perEventLoop;
  private final GatewayMeters meters;
  private final Supplier<Map<String, Integer>> roomMembers;
  private final Supplier<Map<String, Integer>> topicSubscribers;

  public GatewayStats(ConnectionCounts connections, Supplier<List<Integer>> perEventLoop, GatewayMeters meters,
      Supplier<Map<String, Integer>> roomMembers, Supplier<Map<String, Integer>> topicSubscribers) {
    this.connections = connections;
    this.perEventLoop = perEventLoop;
    this.meters = meters;
    this.roomMembers = roomMembers;
    this.topicSubscribers = topicSubscribers;
  }

  @Override
  public JsonObject get() {
    return new JsonObject()
        .put("webSockets", connections.webSocketCount())
        .put("sseStreams", connections.streamCount())
        .put("connectionsPerEventLoop", new JsonArray(List.copyOf(perEventLoop.get())))
        .put("rooms", new JsonObject(Map.copyOf(roomMembers.get())))
        .put("topics", new JsonObject(Map.copyOf(topicSubscribers.get())))
        .put("messagesPerSecond", meters.readRates());
  }
}
