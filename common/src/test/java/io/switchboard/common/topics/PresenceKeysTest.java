package io.switchboard.common.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hazelcast.map.IMap;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The presence map's layout and queries, on a real Hazelcast member configured as every member is. */
class PresenceKeysTest {

  private static TestCluster cluster;
  private static IMap<String, String> map;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    ClusterNode node = cluster.startNode();
    map = node.hazelcast().getMap(PresenceMaps.PRESENCE);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aKeyAndValueDecodeToTheirTopicNodeConnectionTimeAndUser() {
    assertEquals(new PresenceKeys.Entry("chat.x-1", "node-a", "conn-1", 42, "alice"),
        PresenceKeys.decode(PresenceKeys.key("chat.x-1", "node-a", "conn-1"), PresenceKeys.value(42, "alice")));
    assertNull(PresenceKeys.decode(PresenceKeys.key("t", "n", "c"), PresenceKeys.value(1, null)).user());
    assertNull(PresenceKeys.decode("no separators", "1|"));
  }

  @Test
  void aTopicsEntriesAreItsOwnEvenWhenAnotherTopicsNameStartsWithIt() {
    map.set(PresenceKeys.key("room", "n1", "a"), PresenceKeys.value(1, null));
    map.set(PresenceKeys.key("room", "n2", "b"), PresenceKeys.value(2, "bob"));
    map.set(PresenceKeys.key("room.2", "n1", "c"), PresenceKeys.value(3, null));
    map.set(PresenceKeys.key("roo", "n1", "d"), PresenceKeys.value(4, null));
    assertEquals(Set.of(PresenceKeys.key("room", "n1", "a"), PresenceKeys.key("room", "n2", "b")),
        map.keySet(PresenceKeys.ofTopic("room")));
  }

  @Test
  void theEntriesOfLostNodesAreFoundAndNoOthers() {
    map.set(PresenceKeys.key("s", "live-node", "x"), PresenceKeys.value(1, null));
    map.set(PresenceKeys.key("s", "lost-node", "y"), PresenceKeys.value(1, null));
    map.set(PresenceKeys.key("s2", "lost-node", "z"), PresenceKeys.value(1, null));
    Set<String> lost = new TreeSet<>(map.keySet(PresenceKeys.notOn(Set.of("live-node", "n1", "n2"))));
    assertEquals(new TreeSet<>(Set.of(PresenceKeys.key("s", "lost-node", "y"),
        PresenceKeys.key("s2", "lost-node", "z"))), lost);
  }
}
