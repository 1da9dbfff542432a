package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.sse.Topics;
import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one topic may hold and how long: its byte budget, its expiry, and its creation. */
class TopicBoundsTest {

  private static final long TTL = 60_000;
  private static final HistoryLimits SMALL = new HistoryLimits(1000, 0, 300_000, 10_000, 8192);

  private final Map.Entry<String, TopicJournal> entry = new AbstractMap.SimpleEntry<>("t", null);

  private AppendOutcome append(String data, String key, long now, HistoryLimits limits) {
    return new AppendEvent(null, AppendEvent.encode(data), key, now, limits, "epoch1").process(entry);
  }

  private static String text(int length, char c) {
    return String.valueOf(c).repeat(length);
  }

  @Test
  void pastTheByteBudgetTheOldestEventsGoFirst() {
    for (int i = 0; i < 20; i++) {
      append(i + text(1000, 'x'), "k:" + i, 1000 + i, SMALL);
    }
    TopicJournal log = entry.getValue();
    assertTrue(log.bytes() <= SMALL.maxBytes(), log.bytes() + " bytes");
    LogSlice slice = log.read(0, 100, 2000, 0);
    assertTrue(slice.head() > 0, "the oldest events are gone");
    assertEquals(19, slice.tail());
    assertEquals(slice.head(), slice.entries().get(0).sequence(), "a read past them starts at the oldest left");
    assertTrue(slice.entries().get(slice.entries().size() - 1).text().startsWith("19"));
  }

  @Test
  void eventsAreCountedInUtf8BytesWhateverTheirCharacters() {
    append(text(1000, 'α'), "k:a", 1000, SMALL);
    long greek = entry.getValue().bytes();
    entry.setValue(null);
    append(text(2000, 'x'), "k:a", 1000, SMALL);
    assertEquals(greek, entry.getValue().bytes(), "1000 two-byte characters are 2000 bytes");
  }

  @Test
  void keysTakeAtMostHalfTheBudgetAndTheNewestEventAlwaysStays() {
    String longKey = "k:" + text(200, 'k');
    for (int i = 0; i < 40; i++) {
      append("1", longKey + i, 1000 + i, SMALL);
    }
    TopicJournal log = entry.getValue();
    assertTrue(log.keyCount() < 40, "the oldest keys were forgotten");
    assertEquals(AppendOutcome.Status.REPLAYED, append("1", longKey + 39, 2000, SMALL).status());
    assertEquals(AppendOutcome.Status.STORED, append("1", longKey + 0, 2001, SMALL).status());
    String biggest = text((int) SMALL.maxEventBytes() - LogEntry.OVERHEAD_BYTES, 'x');
    AppendOutcome big = append(biggest, longKey + "big", 2002, SMALL);
    assertEquals(AppendOutcome.Status.STORED, big.status());
    assertEquals(big.sequence(), log.read(-1, 100, 3000, 0).head(), "the newest event stays, alone");
    assertTrue(log.bytes() <= SMALL.maxBytes(), log.bytes() + " bytes");
  }

  @Test
  void anAppendWithoutAnEpochCreatesNoTopic() {
    AppendOutcome outcome = new AppendEvent(null, AppendEvent.encode("1"), "k:a", 1000, SMALL, null)
        .process(entry);
    assertEquals(AppendOutcome.Status.ABSENT, outcome.status());
    assertNull(entry.getValue());
    append("1", "k:a", 1000, SMALL);
    AppendOutcome existing = new AppendEvent(null, AppendEvent.encode("2"), "k:b", 1001, SMALL, null)
        .process(entry);
    assertEquals(AppendOutcome.Status.STORED, existing.status(), "an existing topic needs no epoch");
  }

  @Test
  void aTopicExpiresOnlyOnceIdleForTheTtlSinceItsLastAppend() {
    append("1", "k:a", 1000, SMALL);
    assertNull(new ExpireIdleTopic(1000 + TTL - 1, TTL).process(entry));
    assertNotNull(entry.getValue());
    assertEquals(Boolean.TRUE, new ExpireIdleTopic(1000 + TTL, TTL).process(entry));
    assertNull(entry.getValue(), "the topic is deleted with its history");
  }

  @Test
  void aTouchKeepsATopicFromExpiringAndCreatesNone() {
    append("1", "k:a", 1000, SMALL);
    new TouchTopic(5000).process(entry);
    assertNull(new ExpireIdleTopic(1000 + TTL, TTL).process(entry));
    assertEquals(Boolean.TRUE, new ExpireIdleTopic(5000 + TTL, TTL).process(entry));
    new TouchTopic(9000).process(entry);
    assertNull(entry.getValue(), "touching an absent topic creates nothing");
  }

  @Test
  void theServersOwnTopicNeverExpires() {
    Map.Entry<String, TopicJournal> ticks = new AbstractMap.SimpleEntry<>(Topics.TICKS, null);
    new AppendEvent(null, AppendEvent.encode("1"), "g:a", 1000, SMALL, "e").process(ticks);
    assertNull(new ExpireIdleTopic(1000 + 100 * TTL, TTL).process(ticks));
    assertNotNull(ticks.getValue());
  }

  @Test
  void creationTokensRunOutAfterTheBurstAndRefillAtTheRate() {
    Map.Entry<String, CreationBucket> bucket = new AbstractMap.SimpleEntry<>("10.0.0.1", null);
    assertEquals(Boolean.TRUE, new TakeCreationToken(0, 60, 2).process(bucket));
    assertEquals(Boolean.TRUE, new TakeCreationToken(10, 60, 2).process(bucket));
    assertEquals(Boolean.FALSE, new TakeCreationToken(20, 60, 2).process(bucket));
    assertEquals(Boolean.TRUE, new TakeCreationToken(1020, 60, 2).process(bucket), "one a second");
    assertEquals(Boolean.FALSE, new TakeCreationToken(1030, 60, 2).process(bucket));
  }
}
