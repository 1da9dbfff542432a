package io.switchboard.gateway.cluster;

import io.switchboard.common.Timestamps;
import io.switchboard.gateway.node.ClusterStatsConfig;
import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ClusterBoard keeps the latest statistics snapshot of every service on every node, as published
 * on {@link Addresses#CLUSTER_STATS}, and turns them into the cluster view of {@code /api/cluster}.
 *
 * <p>A node drops out of the view when it leaves the cluster or stays silent longer than the
 * configured staleness, so a killed node disappears even before Hazelcast notices. Snapshots from
 * unknown roles or non-members are ignored, which bounds memory whatever is published. The view
 * lists the busiest topics and rooms only ({@code CLUSTER_VIEW_MAX_TOPICS},
 * {@code CLUSTER_VIEW_MAX_ROOMS}) and says how many there are in all. Snapshots
 * arrive on the gateway's home event loop and views are read from every loop, so both hold its lock.
 */
public final class ClusterBoard {

  /** A service's statistics, when they came, and the bus protocol version they came in. */
  private record Snapshot(JsonObject stats, long receivedNanos, int protocol) {
  }

  private final EventBus bus;
  private final ClusterView cluster;
  private final ClusterStatsConfig config;
  private final Map<String, Map<String, Snapshot>> latest = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public ClusterBoard(EventBus bus, ClusterView cluster, ClusterStatsConfig config) {
    this.bus = bus;
    this.cluster = cluster;
    this.config = config;
  }

  /** Starts listening; completes once the consumer is registered cluster-wide. */
  public Future<Void> start() {
    consumer = bus.consumer(Addresses.CLUSTER_STATS,
        message -> record(message.body(), BusProtocol.versionOf(message)));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Records a snapshot sent in this release's bus protocol. */
  void record(Object body) {
    record(body, BusProtocol.VERSION);
  }

  /** Records a snapshot that was sent in bus protocol {@code protocol}. */
  synchronized void record(Object body, int protocol) {
    if (!(body instanceof JsonObject snapshot)) {
      return;
    }
    String node = snapshot.getValue("node") instanceof String s ? s : null;
    String role = snapshot.getValue("role") instanceof String s ? s : null;
    JsonObject stats = snapshot.getValue("stats") instanceof JsonObject s ? s : new JsonObject();
    if (node == null || role == null || roleOf(role) == null) {
      return;
    }
    if (!cluster.memberIds().contains(node)) {
      return;
    }
    latest.computeIfAbsent(node, n -> new TreeMap<>()).put(role, new Snapshot(stats, System.nanoTime(), protocol));
  }

  private static ServiceRole roleOf(String id) {
    for (ServiceRole role : ServiceRole.values()) {
      if (role.id().equals(id)) {
        return role;
      }
    }
    return null;
  }

  private void prune() {
    long now = System.nanoTime();
    long staleNanos = config.staleAfter().toNanos();
    Set<String> members = cluster.memberIds();
    latest.keySet().removeIf(node -> !members.contains(node));
    for (Map<String, Snapshot> roles : latest.values()) {
      roles.values().removeIf(s -> now - s.receivedNanos() > staleNanos);
    }
    latest.values().removeIf(Map::isEmpty);
  }

  /** The cluster view served by {@code /api/cluster}; see docs/protocol.md. */
  public synchronized JsonObject view() {
    prune();
    List<String> nodeIds = new ArrayList<>(latest.keySet());
    nodeIds.sort(Comparator.comparing((String n) -> !latest.get(n).containsKey("gateway"))
        .thenComparing(n -> n));
    JsonArray nodes = new JsonArray();
    JsonArray gateways = new JsonArray();
    Totals totals = new Totals();
    for (String node : nodeIds) {
      Map<String, Snapshot> roles = latest.get(node);
      nodes.add(nodeEntry(node, roles));
      Snapshot gateway = roles.get("gateway");
      if (gateway != null) {
        gateways.add(gatewayEntry(node, gateway.stats()));
        totals.add(gateway.stats());
      }
    }
    return new JsonObject()
        .put("cluster", cluster.clusterName())
        .put("servedBy", cluster.nodeId())
        .put("time", Timestamps.of(Instant.now()))
        .put("members", cluster.memberCount())
        .put("nodes", nodes)
        .put("gateways", gateways)
        .put("rooms", totals.rooms(config.maxRooms()))
        .put("roomsTotal", totals.roomsTotal())
        .put("topics", totals.topics(config.maxTopics()))
        .put("topicsTotal", totals.topicsTotal())
        .put("messagesPerSecond", totals.rates());
  }

  private JsonObject nodeEntry(String node, Map<String, Snapshot> roles) {
    JsonObject services = new JsonObject();
    for (Map.Entry<String, Snapshot> role : roles.entrySet()) {
      services.put(role.getKey(), role.getValue().stats());
    }
    return new JsonObject()
        .put("id", node)
        .put("self", node.equals(cluster.nodeId()))
        .put("roles", new JsonArray(new ArrayList<>(roles.keySet())))
        .put("protocol", roles.values().iterator().next().protocol())
        .put("services", services);
  }

  private static JsonObject gatewayEntry(String node, JsonObject stats) {
    return new JsonObject()
        .put("node", node)
        .put("webSockets", stats.getInteger("webSockets", 0))
        .put("sseStreams", stats.getInteger("sseStreams", 0))
        .put("connectionsPerEventLoop", stats.getValue("connectionsPerEventLoop") instanceof JsonArray loops
            ? loops : new JsonArray())
        .put("messagesPerSecond", stats.getJsonObject("messagesPerSecond", new JsonObject()));
  }

  /**
   * The gateways' rooms, topics and message rates, summed over the cluster. Each gateway lists only
   * its busiest rooms and topics, with how many it has in all; the cluster has at least as many as
   * the gateway with the most, and as the names listed.
   */
  private static final class Totals {
    private final Map<String, Integer> rooms = new HashMap<>();
    private final Map<String, Integer> topics = new HashMap<>();
    private int roomsTotal;
    private int topicsTotal;
    private double echo;
    private double sse;
    private double wsTopics;
    private double signaling;

    void add(JsonObject stats) {
      JsonObject rates = stats.getJsonObject("messagesPerSecond", new JsonObject());
      echo += number(rates, "echo");
      sse += number(rates, "sse");
      wsTopics += number(rates, "topics");
      signaling += number(rates, "signaling");
      roomsTotal = Math.max(roomsTotal, sum(stats, "rooms", rooms));
      topicsTotal = Math.max(topicsTotal, sum(stats, "topics", topics));
    }

    JsonArray rooms(int max) {
      return list(rooms, max, "room", "members");
    }

    int roomsTotal() {
      return Math.max(roomsTotal, rooms.size());
    }

    JsonArray topics(int max) {
      return list(topics, max, "topic", "subscribers");
    }

    int topicsTotal() {
      return Math.max(topicsTotal, topics.size());
    }

    JsonObject rates() {
      return new JsonObject()
          .put("echo", round(echo))
          .put("sse", round(sse))
          .put("topics", round(wsTopics))
          .put("signaling", round(signaling))
          .put("total", round(echo + sse + wsTopics + signaling));
    }
  }

  /**
   * Adds a gateway's listed counts of {@code field} into {@code into}; returns how many it has in
   * all, listed or not.
   */
  private static int sum(JsonObject stats, String field, Map<String, Integer> into) {
    JsonObject counts = stats.getValue(field) instanceof JsonObject object ? object : new JsonObject();
    for (String key : counts.fieldNames()) {
      if (counts.getValue(key) instanceof Number n && n.intValue() > 0) {
        into.merge(key, n.intValue(), Integer::sum);
      }
    }
    return stats.getValue(field + "Total") instanceof Number total ? total.intValue() : counts.size();
  }

  /** The busiest {@code max} of {@code counts}, as objects of a name and a count field. */
  private static JsonArray list(Map<String, Integer> counts, int max, String nameField, String countField) {
    JsonArray list = new JsonArray();
    for (Map.Entry<String, Integer> entry : Busiest.of(counts, max)) {
      list.add(new JsonObject().put(nameField, entry.getKey()).put(countField, entry.getValue()));
    }
    return list;
  }

  private static double number(JsonObject object, String key) {
    return object.getValue(key) instanceof Number n ? n.doubleValue() : 0;
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
