package io.switchboard.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.node.ConnectionCounts;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayStatsTest {

  @Test
  void aSnapshotListsTheBusiestTopicsAndRoomsOnlyWithHowManyThereAreInAll() {
    Map<String, Integer> topics = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      topics.put("topic-" + i, 1);
    }
    topics.put("prices", 40);
    topics.put("news", 40);
    topics.put("weather", 3);
    Map<String, Integer> rooms = Map.of("standup", 4, "retro", 2, "solo", 1);
    GatewayStats stats = new GatewayStats(new ConnectionCounts(), List::of, new GatewayMeters(new RateMeter()),
        new GatewayStats.Listed(() -> rooms, 2, () -> topics, 3));

    JsonObject snapshot = stats.get();
    assertEquals(new JsonObject().put("news", 40).put("prices", 40).put("weather", 3),
        snapshot.getJsonObject("topics"));
    assertEquals(List.of("news", "prices", "weather"), List.copyOf(snapshot.getJsonObject("topics").fieldNames()));
    assertEquals(10_003, snapshot.getInteger("topicsTotal"));
    assertEquals(new JsonObject().put("standup", 4).put("retro", 2), snapshot.getJsonObject("rooms"));
    assertEquals(3, snapshot.getInteger("roomsTotal"));
  }
}
