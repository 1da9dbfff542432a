package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicJournalTest {

  private static final HistoryLimits LIMITS = new HistoryLimits(5, 0, 300_000, 100, 1 << 20);

  /** One map entry, as Hazelcast hands it to a processor. */
  private final Map.Entry<String, TopicJournal> entry = new AbstractMap.SimpleEntry<>("t", null);

  private AppendOutcome append(String data, String key, long now) {
    return append(data, key, now, LIMITS);
  }

  private AppendOutcome append(String data, String key, long now, HistoryLimits limits) {
    return new AppendEvent(null, AppendEvent.encode(data), key, now, limits, "epoch1").process(entry);
  }

  @Test
  void firstAppendCreatesTheLogWithItsEpochAndSequenceZero() {
    AppendOutcome outcome = append("1", "k:a", 1000);
    assertEquals(AppendOutcome.Status.STORED, outcome.status());
    assertEquals("epoch1", outcome.epoch());
    assertEquals(0, outcome.sequence());
    assertEquals(1, entry.getValue().size());
  }

  @Test
  void anAppendPastItsDeadlineStoresNothingAndSendsNothingToTheBackup() {
    append("1", "k:a", 1000);
    AppendEvent late = new AppendEvent(null, AppendEvent.encode("2"), "k:b", 1001, LIMITS, "epoch1",
        System.currentTimeMillis() - 1);
    assertEquals(AppendOutcome.Status.EXPIRED, late.process(entry).status());
    assertEquals(1, entry.getValue().size());
    assertNull(late.getBackupProcessor());
  }

  @Test
  void theBackupOfAnAppendInTimeStoresItWheneverItRuns() {
    Map.Entry<String, TopicJournal> backup = new AbstractMap.SimpleEntry<>("t", null);
    AppendEvent timely = new AppendEvent(null, AppendEvent.encode("1"), "k:a", 1000, LIMITS, "epoch1",
        System.currentTimeMillis() + 60_000);
    assertEquals(AppendOutcome.Status.STORED, timely.process(entry).status());
    // The backup has no deadline of its own: it does what the owner did, however late it runs.
    AppendOutcome copied = timely.getBackupProcessor().process(backup);
    assertEquals(AppendOutcome.Status.STORED, copied.status());
    assertEquals(0, copied.sequence());
  }

  @Test
  void sameKeyAndBodyReplaysTheFirstEventAndStoresNothing() {
    append("1", "k:a", 1000);
    append("2", "k:b", 1001);
    AppendOutcome replay = append("1", "k:a", 2000);
    assertEquals(AppendOutcome.Status.REPLAYED, replay.status());
    assertEquals(0, replay.sequence());
    assertTrue(replay.retained());
    assertEquals(2, entry.getValue().size());
    assertEquals(2, append("3", "k:c", 2001).sequence());
  }

  @Test
  void sameKeyWithAnotherBodyIsAConflictAndStoresNothing() {
    append("1", "k:a", 1000);
    AppendOutcome conflict = new AppendEvent("other-type", AppendEvent.encode("1"), "k:a", 1001, LIMITS, "x").process(entry);
    assertEquals(AppendOutcome.Status.CONFLICT, conflict.status());
    assertEquals(1, entry.getValue().size());
  }

  @Test
  void sameKeyWithTheSameDataAsJsonInAnotherTextReplaysWhileTheEventIsRetained() {
    append("{\"b\":2,\"a\":1.0}", "k:a", 1000);
    AppendOutcome replay = append("{\"a\":1,\"b\":2}", "k:a", 1001);
    assertEquals(AppendOutcome.Status.REPLAYED, replay.status());
    assertEquals(0, replay.sequence());
    assertEquals(AppendOutcome.Status.CONFLICT, append("{\"a\":1,\"b\":3}", "k:a", 1002).status());
    // Once the event has left history only its hash is left: another text is another body.
    for (int i = 0; i < LIMITS.capacity(); i++) {
      append(String.valueOf(i), "k:" + i, 1003 + i);
    }
    assertEquals(AppendOutcome.Status.CONFLICT, append("{\"a\":1,\"b\":2}", "k:a", 2000).status());
    assertEquals(AppendOutcome.Status.REPLAYED, append("{\"b\":2,\"a\":1.0}", "k:a", 2001).status());
  }

  @Test
  void keyIsForgottenAfterTheWindowAndItsRetryStoresAgain() {
    append("1", "k:a", 1000);
    AppendOutcome later = append("1", "k:a", 1000 + LIMITS.keyWindowMillis() + 1);
    assertEquals(AppendOutcome.Status.STORED, later.status());
    assertEquals(1, later.sequence());
  }

  @Test
  void oldestKeysAreForgottenPastTheCap() {
    HistoryLimits twoKeys = new HistoryLimits(100, 0, 300_000, 2, 1 << 20);
    append("1", "k:a", 1000, twoKeys);
    append("2", "k:b", 1001, twoKeys);
    append("3", "k:c", 1002, twoKeys);
    assertEquals(2, entry.getValue().keyCount());
    assertEquals(AppendOutcome.Status.STORED, append("1", "k:a", 1003, twoKeys).status());
    assertEquals(AppendOutcome.Status.REPLAYED, append("3", "k:c", 1004, twoKeys).status());
  }

  @Test
  void replayOfAnEventNoLongerRetainedStillAnswersItsSequenceWithoutTheEvent() {
    append("first", "k:first", 1000);
    for (int i = 0; i < 6; i++) {
      append("e" + i, "k:" + i, 1001 + i);
    }
    AppendOutcome replay = append("first", "k:first", 2000);
    assertEquals(AppendOutcome.Status.REPLAYED, replay.status());
    assertEquals(0, replay.sequence());
    assertFalse(replay.retained());
  }

  @Test
  void historyKeepsTheNewestEventsUpToItsCapacity() {
    for (int i = 0; i < 8; i++) {
      append("e" + i, "k:" + i, 1000 + i);
    }
    LogSlice slice = entry.getValue().read(-1, 100, 2000, 0);
    assertEquals(3, slice.head());
    assertEquals(7, slice.tail());
    assertEquals(5, slice.entries().size());
    assertEquals("e3", slice.entries().get(0).text());
  }

  @Test
  void readStartsAtTheRequestedSequenceOnlyWhenItIsRetained() {
    for (int i = 0; i < 8; i++) {
      append("e" + i, "k:" + i, 1000 + i);
    }
    assertEquals(5, entry.getValue().read(5, 100, 2000, 0).entries().get(0).sequence());
    assertEquals(3, entry.getValue().read(1, 100, 2000, 0).entries().get(0).sequence());
    assertEquals(3, entry.getValue().read(99, 100, 2000, 0).entries().get(0).sequence());
    assertEquals(0, entry.getValue().read(8, 100, 2000, 0).entries().size());
    assertEquals(2, entry.getValue().read(3, 2, 2000, 0).entries().size());
  }

  @Test
  void expiredEventsAreNotReadAndArePrunedByTheNextAppend() {
    HistoryLimits expiring = new HistoryLimits(100, 1000, 300_000, 100, 1 << 20);
    append("old", "k:old", 1000, expiring);
    append("new", "k:new", 1800, expiring);
    LogSlice slice = entry.getValue().read(-1, 100, 2100, 1000);
    assertEquals(1, slice.head());
    assertEquals(1, slice.entries().size());
    append("newer", "k:newer", 2100, expiring);
    assertEquals(2, entry.getValue().size());
  }

  @Test
  void readOfAnotherEpochStartsAtTheOldestRetainedEvent() {
    append("1", "k:a", 1000);
    append("2", "k:b", 1001);
    Map.Entry<String, TopicJournal> same = entry;
    assertEquals(1, new ReadEvents("epoch1", 1, 10, 2000, 0).process(same).entries().get(0).sequence());
    assertEquals(0, new ReadEvents("other", 1, 10, 2000, 0).process(same).entries().get(0).sequence());
    assertNull(new ReadEvents(null, -1, 10, 2000, 0)
        .process(new AbstractMap.SimpleEntry<>("none", null)));
  }
}
