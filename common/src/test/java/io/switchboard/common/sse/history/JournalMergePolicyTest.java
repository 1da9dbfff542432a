package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.spi.merge.MergingValue;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalMergePolicyTest {

  private static final HistoryLimits LIMITS = new HistoryLimits(100, 0, 300_000, 100, 1 << 20);

  private final JournalMergePolicy policy = new JournalMergePolicy();

  /** A journal of {@code epoch} with {@code events} events, the last appended at {@code now}. */
  private static TopicJournal journal(String epoch, int events, long now) {
    Map.Entry<String, TopicJournal> entry = new AbstractMap.SimpleEntry<>("t", null);
    for (int i = 0; i < events; i++) {
      new AppendEvent(null, AppendEvent.encode(String.valueOf(i)), "k:" + epoch + i, now - events + i + 1,
          LIMITS, epoch).process(entry);
    }
    return entry.getValue();
  }

  private static MergingValue<TopicJournal> value(TopicJournal journal) {
    return new MergingValue<>() {
      @Override
      public TopicJournal getValue() {
        return journal;
      }

      @Override
      public Object getRawValue() {
        return journal;
      }
    };
  }

  @Test
  void theCopyThatWentFurtherSurvivesWhicheverSideMergesIntoTheOther() {
    TopicJournal stale = journal("e1", 200, 10_000);
    TopicJournal live = JournalMergeTest.copy(stale);
    Map.Entry<String, TopicJournal> entry = new AbstractMap.SimpleEntry<>("t", live);
    for (int i = 0; i < 50; i++) {
      JournalMergeTest.append(entry, "more" + i, "k:more" + i, 20_000 + i, LIMITS);
    }
    assertSame(live, policy.merge(value(live), value(stale)));
    assertSame(live, policy.merge(value(stale), value(live)));
  }

  @Test
  void equalCopiesKeepTheExistingOne() {
    TopicJournal existing = journal("e1", 5, 1_000);
    TopicJournal merging = journal("e1", 5, 1_000);
    assertSame(existing, policy.merge(value(merging), value(existing)));
  }

  @Test
  void copiesOfDifferentEpochsThatOverlapInTimeAreBothKeptInANewEpoch() {
    TopicJournal older = journal("e1", 50, 10_000);
    TopicJournal recreated = journal("e2", 3, 10_000);
    TopicJournal merged = (TopicJournal) policy.merge(value(recreated), value(older));
    assertEquals(53, merged.size());
    assertTrue(merged.replaced("e1") && merged.replaced("e2"), "both epochs replaced");
  }

  @Test
  void aTopicBegunAnewOnOneSideAfterTheOtherSidesLastEventKeepsTheNewEpoch() {
    TopicJournal older = journal("e1", 50, 10_000);
    TopicJournal recreated = journal("e2", 3, 20_000);
    for (TopicJournal merged : List.of((TopicJournal) policy.merge(value(recreated), value(older)),
        (TopicJournal) policy.merge(value(older), value(recreated)))) {
      assertEquals("e2", merged.epoch());
      assertEquals(3, merged.size());
      assertTrue(merged.replaced("e1"), "the old epoch replaced");
    }
  }

  @Test
  void aTopicOnOneSideOnlyIsKept() {
    TopicJournal only = journal("e1", 3, 1_000);
    assertSame(only, policy.merge(value(only), null));
    assertSame(only, policy.merge(null, value(only)));
    assertNull(policy.merge(null, null));
  }
}
