package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JournalMergeTest joins the copies of a topic's history that two sides of a split kept. */
class JournalMergeTest {

  private static final HistoryLimits LIMITS = new HistoryLimits(100, 0, 300_000, 100, 1 << 20);
  private static final InternalSerializationService SERIALIZATION =
      new DefaultSerializationServiceBuilder().build();

  /** A copy of a journal through Hazelcast's serialization, as each side of a split holds one. */
  static TopicJournal copy(TopicJournal journal) {
    return SERIALIZATION.toObject(SERIALIZATION.toData(journal));
  }

  static AppendOutcome append(Map.Entry<String, TopicJournal> entry, String data, String key, long now,
      HistoryLimits limits) {
    return new AppendEvent(null, AppendEvent.encode(data), key, now, limits, "e1").process(entry);
  }

  private static Map.Entry<String, TopicJournal> entry(TopicJournal journal) {
    return new AbstractMap.SimpleEntry<>("t", journal);
  }

  /** A journal of epoch e1 with events "base0".."base{n-1}" stored at 1000, 1001... */
  private static TopicJournal base(int events) {
    Map.Entry<String, TopicJournal> entry = entry(null);
    for (int i = 0; i < events; i++) {
      append(entry, "base" + i, "k:base" + i, 1000 + i, LIMITS);
    }
    return entry.getValue();
  }

  private static TopicJournal with(TopicJournal journal, long at, String... data) {
    Map.Entry<String, TopicJournal> entry = entry(journal);
    for (String text : data) {
      append(entry, text, "k:" + text, at++, LIMITS);
    }
    return journal;
  }

  private static List<String> texts(TopicJournal journal) {
    return journal.entries().stream().map(LogEntry::text).toList();
  }

  @Test
  void aCopyThatIsAPrefixOfTheOtherGivesWayToItAndKeepsTheEpoch() {
    TopicJournal stale = base(5);
    TopicJournal live = with(copy(stale), 2000, "x", "y", "z");
    for (TopicJournal kept : List.of(JournalMerge.merge(stale, live), JournalMerge.merge(live, stale))) {
      assertSame(live, kept);
      assertEquals("e1", kept.epoch());
      assertEquals(8, kept.nextSequence());
    }
  }

  @Test
  void copiesThatBothStoredEventsSinceTheSplitAreJoinedInANewEpochOrderedByTime() {
    TopicJournal before = base(3);
    TopicJournal a = with(copy(before), 2000, "a1");
    with(a, 3000, "a2");
    TopicJournal b = with(copy(before), 2500, "b1");
    with(b, 3500, "b2");
    TopicJournal merged = JournalMerge.merge(a, b);
    assertNotEquals("e1", merged.epoch());
    assertEquals(List.of("base0", "base1", "base2", "a1", "b1", "a2", "b2"), texts(merged));
    assertEquals(7, merged.nextSequence());
    assertEquals(0, merged.entries().get(0).sequence());
    assertTrue(merged.replaced("e1"), "the sides' epoch is remembered as replaced");
  }

  @Test
  void aStaleCopyWhoseNewestEventTheOtherEvictedIsAPrefixByItsKey() {
    HistoryLimits three = new HistoryLimits(3, 0, 300_000, 100, 1 << 20);
    TopicJournal stale = base(3);
    Map.Entry<String, TopicJournal> live = entry(copy(stale));
    for (int i = 0; i < 5; i++) {
      append(live, "later" + i, "k:later" + i, 2000 + i, three);
    }
    assertSame(live.getValue(), JournalMerge.merge(stale, live.getValue()));
    assertEquals("e1", live.getValue().epoch());
  }

  @Test
  void anEventTheStaleCopyHeldAndTheOtherStoredAgainUnderItsKeyLeavesTheEpochAlone() {
    // The lone side stored "last0" and "last" just before the split, and its backup never got them;
    // the clients' retries stored them again, under their keys, at the same sequences on the other
    // side, which went on.
    TopicJournal before = base(4);
    TopicJournal lone = with(copy(before), 2000, "last0", "last");
    TopicJournal live = with(copy(before), 2700, "last0", "last", "later1", "later2");
    for (TopicJournal kept : List.of(JournalMerge.merge(lone, live), JournalMerge.merge(live, lone))) {
      assertSame(live, kept);
      assertEquals("e1", kept.epoch());
      assertEquals(List.of("base0", "base1", "base2", "base3", "last0", "last", "later1", "later2"),
          texts(kept));
    }
  }

  @Test
  void aStaleCopyThatNoLongerHoldsWhatPrecedesAnEventStoredAgainIsJoinedNotTakenForAPrefix() {
    // The lone side kept only its newest event; the event before it, "x", is not on the other
    // side, which stored "y" there before the retry of "e" landed at the same place.
    HistoryLimits one = new HistoryLimits(1, 0, 300_000, 100, 1 << 20);
    TopicJournal before = base(2);
    Map.Entry<String, TopicJournal> lone = entry(copy(before));
    append(lone, "x", "k:x", 2000, one);
    append(lone, "e", "k:e", 2001, one);
    TopicJournal live = with(copy(before), 2500, "y", "e", "later");
    TopicJournal merged = JournalMerge.merge(live, lone.getValue());
    assertNotEquals("e1", merged.epoch());
    assertTrue(texts(merged).contains("y"));
    assertTrue(merged.replaced("e1"));
    AppendOutcome retryX = append(entry(merged), "x", "k:x", 9000, LIMITS);
    assertEquals(AppendOutcome.Status.REPLAYED, retryX.status(), "x is kept, under its key");
  }

  @Test
  void copiesWhoseEventsAtOneSequenceShareAKeyButNotTheirContentAreJoined() {
    TopicJournal before = base(2);
    TopicJournal a = with(copy(before), 2000, "mine");
    Map.Entry<String, TopicJournal> b = entry(copy(before));
    new AppendEvent(null, AppendEvent.encode("theirs"), "k:mine", 2500, LIMITS, "e1").process(b);
    with(b.getValue(), 2600, "later");
    TopicJournal merged = JournalMerge.merge(a, b.getValue());
    assertNotEquals("e1", merged.epoch());
    assertEquals(List.of("base0", "base1", "mine", "theirs", "later"), texts(merged));
  }

  @Test
  void copiesOfTheSameLengthThatDivergedAreJoinedNotPickedByLength() {
    TopicJournal before = base(2);
    TopicJournal a = with(copy(before), 2000, "a1");
    TopicJournal b = with(copy(before), 2001, "b1");
    TopicJournal merged = JournalMerge.merge(a, b);
    assertEquals(List.of("base0", "base1", "a1", "b1"), texts(merged));
    assertTrue(merged.replaced("e1"));
  }

  @Test
  void aKeyOfEitherSideReplaysItsEventUnderItsNewIdAfterTheMerge() {
    TopicJournal before = base(2);
    TopicJournal a = with(copy(before), 2000, "a1");
    TopicJournal b = with(copy(before), 1500, "b1");
    Map.Entry<String, TopicJournal> merged = entry(JournalMerge.merge(a, b));
    AppendOutcome retryA = append(merged, "a1", "k:a1", 9000, LIMITS);
    AppendOutcome retryB = append(merged, "b1", "k:b1", 9000, LIMITS);
    AppendOutcome retryBase = append(merged, "base1", "k:base1", 9000, LIMITS);
    assertEquals(AppendOutcome.Status.REPLAYED, retryA.status());
    assertEquals(AppendOutcome.Status.REPLAYED, retryB.status());
    assertEquals(AppendOutcome.Status.REPLAYED, retryBase.status());
    assertEquals(merged.getValue().epoch(), retryA.epoch());
    List<String> texts = texts(merged.getValue());
    assertEquals("a1", texts.get((int) retryA.sequence()));
    assertEquals("b1", texts.get((int) retryB.sequence()));
    assertEquals("base1", texts.get((int) retryBase.sequence()));
    assertEquals(4, merged.getValue().size(), "the retries stored nothing");
  }

  @Test
  void anEventAClientStoredOnBothSidesUnderOneKeyIsKeptOnce() {
    TopicJournal before = base(1);
    TopicJournal a = with(copy(before), 2000, "retried");
    TopicJournal b = with(copy(before), 2400, "other", "retried");
    // Stored again at another sequence: a new epoch, whichever side merges into the other.
    TopicJournal intoB = JournalMerge.merge(copy(b), copy(a));
    assertNotEquals("e1", intoB.epoch());
    assertEquals(List.of("base0", "other", "retried"), texts(intoB));
    TopicJournal merged = JournalMerge.merge(a, b);
    assertEquals(List.of("base0", "retried", "other"), texts(merged));
    AppendOutcome retry = append(entry(merged), "retried", "k:retried", 9000, LIMITS);
    assertEquals(AppendOutcome.Status.REPLAYED, retry.status());
    assertEquals(1, retry.sequence());
  }

  @Test
  void copiesOfDifferentEpochsThatBothStoredAfterTheOtherBeganAreJoinedInANewEpochThatReplacesBoth() {
    TopicJournal a = base(2);
    Map.Entry<String, TopicJournal> other = entry(null);
    new AppendEvent(null, AppendEvent.encode("elsewhere"), "k:e", 1000, LIMITS, "e2").process(other);
    TopicJournal merged = JournalMerge.merge(a, other.getValue());
    assertEquals(List.of("base0", "elsewhere", "base1"), texts(merged));
    assertTrue(merged.replaced("e1"));
    assertTrue(merged.replaced("e2"));
  }

  @Test
  void aCopyBegunAnewAfterTheOthersNewestEventIsKeptUnderItsIdsAndReplacesTheOldEpoch() {
    TopicJournal stale = base(3);
    Map.Entry<String, TopicJournal> anew = entry(null);
    new AppendEvent(null, AppendEvent.encode("n0"), "k:n0", 5000, LIMITS, "e2").process(anew);
    with(anew.getValue(), 5001, "n1");
    for (boolean staleExists : List.of(true, false)) {
      TopicJournal renewed = copy(anew.getValue());
      TopicJournal kept = staleExists ? JournalMerge.merge(copy(stale), renewed)
          : JournalMerge.merge(renewed, copy(stale));
      assertEquals("e2", kept.epoch(), "the history its subscribers moved on to keeps its ids");
      assertEquals(List.of("n0", "n1"), texts(kept));
      assertEquals(2, kept.nextSequence());
      assertTrue(kept.replaced("e1"), "an id of the old epoch reads as merged");
      AppendOutcome retry = append(entry(kept), "base1", "k:base1", 5002, LIMITS);
      assertEquals(AppendOutcome.Status.REPLAYED, retry.status(), "a key of the old copy replays");
      assertFalse(retry.retained());
    }
  }

  @Test
  void aCopyBegunAnewThatNoLongerHoldsItsFirstEventProvesNothingAndIsJoined() {
    HistoryLimits two = new HistoryLimits(2, 0, 300_000, 100, 1 << 20);
    TopicJournal stale = base(2);
    Map.Entry<String, TopicJournal> anew = entry(null);
    new AppendEvent(null, AppendEvent.encode("n0"), "k:n0", 5000, two, "e2").process(anew);
    append(anew, "n1", "k:n1", 5001, two);
    append(anew, "n2", "k:n2", 5002, two);
    TopicJournal merged = JournalMerge.merge(stale, anew.getValue());
    assertNotEquals("e2", merged.epoch());
    assertTrue(merged.replaced("e1") && merged.replaced("e2"));
  }

  @Test
  void aCopyOfAnEpochAnEarlierMergeReplacedAddsOnlyItsOwnEvents() {
    TopicJournal before = base(2);
    TopicJournal stale = with(copy(before), 2000, "c1");
    TopicJournal firstMerge = JournalMerge.merge(with(copy(before), 2100, "a1"),
        with(copy(before), 2200, "b1"));
    TopicJournal merged = JournalMerge.merge(firstMerge, stale);
    assertEquals(List.of("base0", "base1", "c1", "a1", "b1"), texts(merged));
    assertTrue(merged.replaced("e1"));
    assertTrue(merged.replaced(firstMerge.epoch()));
  }

  @Test
  void theJoinedHistoryIsBoundedByTheLimitsOfTheLastAppend() {
    HistoryLimits three = new HistoryLimits(3, 0, 300_000, 100, 1 << 20);
    Map.Entry<String, TopicJournal> a = entry(copy(base(2)));
    Map.Entry<String, TopicJournal> b = entry(copy(a.getValue()));
    append(a, "a1", "k:a1", 2000, three);
    append(a, "a2", "k:a2", 2002, three);
    append(b, "b1", "k:b1", 2001, three);
    TopicJournal merged = JournalMerge.merge(a.getValue(), b.getValue());
    assertEquals(List.of("a1", "b1", "a2"), texts(merged));
    assertEquals(5, merged.nextSequence());
    AppendOutcome evicted = append(entry(merged), "base0", "k:base0", 9000, three);
    assertEquals(AppendOutcome.Status.REPLAYED, evicted.status());
    assertFalse(evicted.retained(), "the key of an event the limits left out still replays");
  }

  @Test
  void theSameTwoCopiesAlwaysMergeIntoTheSameEpoch() {
    TopicJournal before = base(2);
    TopicJournal a = with(copy(before), 2000, "a1");
    TopicJournal b = with(copy(before), 2001, "b1");
    assertEquals(JournalMerge.merge(a, b).epoch(), JournalMerge.merge(copy(a), copy(b)).epoch());
  }
}
