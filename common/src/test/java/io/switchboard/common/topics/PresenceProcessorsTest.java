package io.switchboard.common.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.topics.PresenceSet.Present;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PresenceProcessorsTest {

  /** A map entry as an entry processor sees it. */
  private static final class Entry extends AbstractMap.SimpleEntry<String, PresenceSet> {
    Entry(PresenceSet value) {
      super("topic", value);
    }
  }

  @Test
  void joinsListEveryoneInArrivalOrderOnlyWhenAskedAndLeavesRemoveTheEntryWithTheLast() {
    Entry entry = new Entry(null);
    assertEquals(List.of(), new JoinPresence("a", "node-1", "alice", false).process(entry));
    assertEquals(List.of(new Present("a", "alice"), new Present("b", null)),
        new JoinPresence("b", "node-2", null, true).process(entry));
    assertTrue(new LeavePresence("a").process(entry));
    assertFalse(new LeavePresence("a").process(entry), "a leave is told once");
    assertTrue(new LeavePresence("b").process(entry));
    assertNull(entry.getValue(), "the topic's entry goes with its last connection");
  }

  @Test
  void aSweepRemovesTheConnectionsOfLostNodesOnceAndKeepsTheOthers() {
    Entry entry = new Entry(null);
    new JoinPresence("a", "live", "alice", false).process(entry);
    new JoinPresence("b", "lost", "bob", false).process(entry);
    new JoinPresence("c", "lost", null, false).process(entry);
    assertEquals(List.of(new Present("b", "bob"), new Present("c", null)),
        new SweepPresence(Set.of("live")).process(entry));
    assertNull(new SweepPresence(Set.of("live")).process(entry), "nothing left to sweep");
    assertEquals(List.of(new Present("a", "alice")), entry.getValue().present());
    assertEquals(List.of(new Present("a", "alice")), new SweepPresence(Set.of()).process(entry));
    assertNull(entry.getValue(), "the last connection swept takes the entry with it");
  }

  @Test
  void aMergeKeepsEveryoneOfBothSides() {
    Entry kept = new Entry(null);
    new JoinPresence("a", "n1", "alice", false).process(kept);
    Entry other = new Entry(null);
    new JoinPresence("b", "n2", "bob", false).process(other);
    new JoinPresence("a", "n1", "alice", false).process(other);
    PresenceSet merged = kept.getValue().union(other.getValue());
    assertEquals(List.of(new Present("a", "alice"), new Present("b", "bob")), merged.present());
    assertEquals(Map.of("a", "n1", "b", "n2"), merged.nodes());
  }
}
