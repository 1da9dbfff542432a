package io.switchboard.gateway.cluster;

import io.switchboard.gateway.node.ConnectionCounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GatewayStats is this gateway's own snapshot: its open connections, the members of each room and
 * the subscribers of each topic connected here, and its message rates. The cluster view sums these
 * over every gateway.
 *
 * <p>Rooms and topics are listed busiest first, at most {@code maxRooms} and {@code maxTopics} of
 * them, with how many there are in all ({@code roomsTotal}, {@code topicsTotal}): however many
 * topics and rooms clients use, the snapshot on the bus stays the same size.
 */
public final class GatewayStats implements Supplier<JsonObject> {

  /** What the snapshot lists of rooms and topics. */
  public record Listed(Supplier<Map<String, Integer>> membersByRoom, int maxRooms,
      Supplier<Map<String, Integer>> subscribersByTopic, int maxTopics) {
  }

  private final ConnectionCounts connections;
  private final Supplier<List<Integer>> perEventLoop;
  private final GatewayMeters meters;
  private final Listed listed;

  public GatewayStats(ConnectionCounts connections, Supplier<List<Integer>> perEventLoop, GatewayMeters meters,
      Listed listed) {
    this.connections = connections;
    this.perEventLoop = perEventLoop;
    this.meters = meters;
    this.listed = listed;
  }

  @Override
  public JsonObject get() {
    Map<String, Integer> rooms = listed.membersByRoom().get();
    Map<String, Integer> topics = listed.subscribersByTopic().get();
    return new JsonObject()
        .put("webSockets", connections.webSocketCount())
        .put("sseStreams", connections.streamCount())
        .put("connectionsPerEventLoop", new JsonArray(List.copyOf(perEventLoop.get())))
        .put("rooms", busiest(rooms, listed.maxRooms()))
        .put("roomsTotal", rooms.size())
        .put("topics", busiest(topics, listed.maxTopics()))
        .put("topicsTotal", topics.size())
        .put("messagesPerSecond", meters.readRates());
  }

  /** The subscribers per topic of several transports, added up. */
  @SafeVarargs
  public static Map<String, Integer> summed(Map<String, Integer>... byTopic) {
    Map<String, Integer> sum = new HashMap<>();
    for (Map<String, Integer> each : byTopic) {
      each.forEach((topic, count) -> sum.merge(topic, count, Integer::sum));
    }
    return sum;
  }

  private static JsonObject busiest(Map<String, Integer> counts, int max) {
    JsonObject listed = new JsonObject();
    for (Map.Entry<String, Integer> entry : Busiest.of(counts, max)) {
      listed.put(entry.getKey(), entry.getValue());
    }
    return listed;
  }
}
