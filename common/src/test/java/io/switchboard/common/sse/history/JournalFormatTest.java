package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.internal.nio.BufferObjectDataInput;
import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JournalFormatTest reads the serialized forms of a topic's history across versions: the form of
 * the version before merges joined histories, which ends with the keys, and the form with the
 * trailer, which that version reads as its own.
 */
class JournalFormatTest {

  private static final HistoryLimits LIMITS = new HistoryLimits(3, 0, 300_000, 100, 1 << 20);
  private static final InternalSerializationService SERIALIZATION =
      new DefaultSerializationServiceBuilder().build();

  /** The form the version before wrote: epoch, counters, events, keys, and nothing after. */
  private static byte[] formerForm() throws IOException {
    BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
    out.writeString("e1");
    out.writeLong(2);
    out.writeLong(5000);
    out.writeInt(2);
    for (int i = 0; i < 2; i++) {
      out.writeLong(i);
      out.writeString(null);
      out.writeByteArray(AppendEvent.encode("{\"n\":" + i + "}"));
      out.writeLong(4000 + i);
    }
    out.writeInt(1);
    out.writeString("k:1");
    out.writeLong(1);
    out.writeLong(11);
    out.writeLong(12);
    out.writeLong(4001);
    return out.toByteArray();
  }

  @Test
  void aJournalInTheFormerFormReadsWithItsEventsAndKeysAndNoMergeState() throws IOException {
    TopicJournal journal = new TopicJournal();
    journal.readData(SERIALIZATION.createObjectDataInput(formerForm()));
    assertEquals("e1", journal.epoch());
    assertEquals(2, journal.nextSequence());
    assertEquals(5000, journal.lastActive());
    assertEquals(List.of("{\"n\":0}", "{\"n\":1}"), journal.entries().stream().map(LogEntry::text).toList());
    assertEquals(1, journal.keyCount());
    assertEquals(List.of(), journal.replacedEpochs());
    assertNull(journal.limits());
    Map.Entry<String, TopicJournal> entry = new AbstractMap.SimpleEntry<>("t", journal);
    AppendOutcome next = new AppendEvent(null, AppendEvent.encode("{}"), "k:2", 6000, LIMITS, null)
        .process(entry);
    assertEquals(2, next.sequence(), "appends go on where the former journal stopped");
  }

  @Test
  void aJournalInTheFormerFormFollowedByOtherDataLeavesThatDataUnread() throws IOException {
    byte[] journalBytes = formerForm();
    BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
    out.write(journalBytes);
    out.writeInt(42);
    BufferObjectDataInput in = SERIALIZATION.createObjectDataInput(out.toByteArray());
    TopicJournal journal = new TopicJournal();
    journal.readData(in);
    assertNull(journal.limits());
    assertEquals(42, in.readInt());
  }

  @Test
  void aMergedJournalKeepsItsReplacedEpochsAndLimitsThroughSerialization() {
    TopicJournal before = JournalMergeTest.copy(new TopicJournal("e1"));
    Map.Entry<String, TopicJournal> a = new AbstractMap.SimpleEntry<>("t", JournalMergeTest.copy(before));
    Map.Entry<String, TopicJournal> b = new AbstractMap.SimpleEntry<>("t", JournalMergeTest.copy(before));
    JournalMergeTest.append(a, "a", "k:a", 1000, LIMITS);
    JournalMergeTest.append(b, "b", "k:b", 1001, LIMITS);
    TopicJournal merged = JournalMerge.merge(a.getValue(), b.getValue());
    TopicJournal read = JournalMergeTest.copy(merged);
    assertEquals(merged.epoch(), read.epoch());
    assertTrue(read.replaced("e1"));
    assertEquals(LIMITS, read.limits());
    assertEquals(2, read.size());
  }

  @Test
  void theFormerVersionReadsTheNewFormAsItsOwn() throws IOException {
    Map.Entry<String, TopicJournal> entry = new AbstractMap.SimpleEntry<>("t", null);
    new AppendEvent(null, AppendEvent.encode("{}"), "k:a", 1000, LIMITS, "e1").process(entry);
    BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
    entry.getValue().writeData(out);
    BufferObjectDataInput in = SERIALIZATION.createObjectDataInput(out.toByteArray());
    // What the former readData read, field by field.
    assertEquals("e1", in.readString());
    assertEquals(1, in.readLong());
    assertEquals(1000, in.readLong());
    assertEquals(1, in.readInt());
    assertEquals(0, in.readLong());
    assertNull(in.readString());
    assertEquals("{}", new String(in.readByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(1000, in.readLong());
    assertEquals(1, in.readInt());
    assertEquals("k:a", in.readString());
    assertEquals(0, in.readLong());
  }

  @Test
  void aReadWithAnIdOfAReplacedEpochSaysMerged() {
    Map.Entry<String, TopicJournal> a = new AbstractMap.SimpleEntry<>("t", null);
    Map.Entry<String, TopicJournal> b = new AbstractMap.SimpleEntry<>("t", null);
    JournalMergeTest.append(a, "a", "k:a", 1000, LIMITS);
    JournalMergeTest.append(b, "b", "k:b", 1001, LIMITS);
    Map.Entry<String, TopicJournal> merged = new AbstractMap.SimpleEntry<>("t",
        JournalMerge.merge(a.getValue(), b.getValue()));
    LogSlice replaced = new ReadEvents("e1", 1, 10, 2000, 0).process(merged);
    LogSlice other = new ReadEvents("zz", 1, 10, 2000, 0).process(merged);
    LogSlice current = new ReadEvents(merged.getValue().epoch(), 1, 10, 2000, 0).process(merged);
    assertTrue(replaced.merged());
    assertEquals(2, replaced.entries().size());
    assertFalse(other.merged());
    assertFalse(current.merged());
    LogSlice sent = SERIALIZATION.toObject(SERIALIZATION.toData(replaced));
    assertTrue(sent.merged(), "the answer says merged on the member that asked");
  }
}
