package io.switchboard.gateway.cluster;

import io.switchboard.gateway.node.ClusterStatsConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterBoardTest {

  /** A cluster whose member list the test changes. */
  private static final class Members implements ClusterView {
    final Set<String> ids = new HashSet<>(Set.of("gw-a", "gw-b", "backend"));

    @Override
    public String nodeId() {
      return "gw-a";
    }

    @Override
    public String clusterName() {
      return "test";
    }

    @Override
    public boolean joined() {
      return true;
    }

    @Override
    public int memberCount() {
      return ids.size();
    }

    @Override
    public Set<String> memberIds() {
      return Set.copyOf(ids);
    }
  }

  private static JsonObject snapshot(String node, String role, JsonObject stats) {
    return new JsonObject().put("node", node).put("role", role).put("stats", stats);
  }

  private static JsonObject gateway(int webSockets, JsonObject rooms, JsonObject topics, double echoRate) {
    return new JsonObject().put("webSockets", webSockets).put("sseStreams", 1)
        .put("rooms", rooms).put("topics", topics)
        .put("messagesPerSecond", new JsonObject().put("echo", echoRate).put("sse", 0).put("signaling", 1));
  }

  private final Members members = new Members();
  private final ClusterBoard board = new ClusterBoard(null, members,
      new ClusterStatsConfig(Duration.ofMillis(100), Duration.ofMillis(300), 100, 100));

  @Test
  void sumsRoomsTopicsAndRatesOverGatewaysAndListsRolesPerNode() {
    board.record(snapshot("gw-a", "gateway", gateway(2, new JsonObject().put("standup", 1),
        new JsonObject().put("prices", 2), 3)));
    board.record(snapshot("gw-b", "gateway", gateway(5, new JsonObject().put("standup", 2).put("solo", 1),
        new JsonObject(), 4.5)));
    board.record(snapshot("backend", "echo", new JsonObject().put("messagesPerSecond", 7.5)));
    board.record(snapshot("backend", "sse", new JsonObject()));

    JsonObject view = board.view();
    assertEquals("gw-a", view.getString("servedBy"));
    JsonArray nodes = view.getJsonArray("nodes");
    assertEquals(List.of("gw-a", "gw-b", "backend"),
        nodes.stream().map(n -> ((JsonObject) n).getString("id")).toList());
    assertEquals(new JsonArray().add("echo").add("sse"), nodes.getJsonObject(2).getJsonArray("roles"));
    assertTrue(nodes.getJsonObject(0).getBoolean("self"));
    assertEquals(new JsonArray()
            .add(new JsonObject().put("room", "standup").put("members", 3))
            .add(new JsonObject().put("room", "solo").put("members", 1)),
        view.getJsonArray("rooms"));
    assertEquals(new JsonArray().add(new JsonObject().put("topic", "prices").put("subscribers", 2)),
        view.getJsonArray("topics"));
    assertEquals(5, view.getJsonArray("gateways").getJsonObject(1).getInteger("webSockets"));
    JsonObject rates = view.getJsonObject("messagesPerSecond");
    assertEquals(7.5, rates.getDouble("echo"));
    assertEquals(2.0, rates.getDouble("signaling"));
    assertEquals(9.5, rates.getDouble("total"));
  }

  @Test
  void listsTheBusiestTopicsAndRoomsOnlyAndHowManyThereAreInAll() {
    ClusterBoard bounded = new ClusterBoard(null, members,
        new ClusterStatsConfig(Duration.ofMillis(100), Duration.ofMillis(300), 2, 1));
    bounded.record(snapshot("gw-a", "gateway", gateway(0,
        new JsonObject().put("quiet", 1).put("standup", 3),
        new JsonObject().put("alpha", 1).put("beta", 5).put("gamma", 1), 0)));
    bounded.record(snapshot("gw-b", "gateway", gateway(0,
        new JsonObject().put("quiet", 1),
        new JsonObject().put("delta", 2).put("alpha", 1), 0)));

    JsonObject view = bounded.view();
    // alpha (1 + 1) ties with delta (2) and comes first by name; gamma (1) is left out.
    assertEquals(new JsonArray()
            .add(new JsonObject().put("topic", "beta").put("subscribers", 5))
            .add(new JsonObject().put("topic", "alpha").put("subscribers", 2)),
        view.getJsonArray("topics"));
    assertEquals(4, view.getInteger("topicsTotal"));
    assertEquals(new JsonArray().add(new JsonObject().put("room", "standup").put("members", 3)),
        view.getJsonArray("rooms"));
    assertEquals(2, view.getInteger("roomsTotal"));
  }

  @Test
  void countsWhatAGatewayLeftOutOfItsSnapshotInTheTotal() {
    board.record(snapshot("gw-a", "gateway", gateway(0, new JsonObject(),
        new JsonObject().put("prices", 7), 0).put("topicsTotal", 250).put("roomsTotal", 0)));
    board.record(snapshot("gw-b", "gateway", gateway(0, new JsonObject(),
        new JsonObject().put("news", 1), 0).put("topicsTotal", 1)));
    JsonObject view = board.view();
    assertEquals(2, view.getJsonArray("topics").size());
    assertEquals(250, view.getInteger("topicsTotal"));
    assertEquals(0, view.getInteger("roomsTotal"));
  }

  @Test
  void listsEachNodeWithTheBusProtocolVersionItsSnapshotsCameIn() {
    board.record(snapshot("gw-a", "gateway", gateway(0, new JsonObject(), new JsonObject(), 0)), 2);
    board.record(snapshot("backend", "sse", new JsonObject()), 1);
    JsonArray nodes = board.view().getJsonArray("nodes");
    assertEquals(List.of("gw-a 2", "backend 1"), nodes.stream()
        .map(n -> ((JsonObject) n).getString("id") + " " + ((JsonObject) n).getInteger("protocol")).toList());
  }

  @Test
  void ignoresNonMembersUnknownRolesAndMalformedSnapshots() {
    board.record(snapshot("stranger", "gateway", gateway(9, new JsonObject(), new JsonObject(), 0)));
    board.record(snapshot("backend", "mystery", new JsonObject()));
    board.record(new JsonObject().put("node", 42).put("role", "echo"));
    board.record("not json");
    board.record(null);
    assertEquals(new JsonArray(), board.view().getJsonArray("nodes"));
  }

  @Test
  void dropsANodeThatLeftTheClusterAtOnceAndASilentOneAfterTheStaleTime() {
    board.record(snapshot("gw-b", "gateway", gateway(1, new JsonObject(), new JsonObject(), 0)));
    board.record(snapshot("backend", "echo", new JsonObject()));
    assertEquals(2, board.view().getJsonArray("nodes").size());

    members.ids.remove("gw-b");
    assertEquals(1, board.view().getJsonArray("nodes").size());

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!board.view().getJsonArray("nodes").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "silent node still listed");
      Thread.onSpinWait();
    }
  }
}
