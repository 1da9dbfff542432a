package io.switchboard.common.sse.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.internal.nio.BufferObjectDataInput;
import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * An append's layout on the wire stays readable by the release before the deadline (bus protocol
 * 1) and reads what that release writes, wherever Hazelcast puts it: alone, as an append to the
 * partition's owner, or followed by a backup operation's own fields.
 */
class AppendEventLayoutTest {

  private static final HistoryLimits LIMITS = new HistoryLimits(5, 0, 300_000, 100, 1 << 20);
  /** What a backup operation writes after its processor: flags, replica versions, a call id. */
  private static final byte[] BACKUP_FIELDS = {0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 1, 0, 0, 0, 0, 0, 0, 0, 42};

  private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder().build();

  @Test
  void anAppendWithoutADeadlineHasThePreviousReleasesLayout() throws IOException {
    AppendEvent append = append(0);
    assertArrayEquals(previousRelease(append), bytes(append));
  }

  @Test
  void theBackupOfAnAppendWithADeadlineHasThePreviousReleasesLayout() throws IOException {
    AppendEvent append = append(123_456);
    AppendEvent backup = (AppendEvent) append.getBackupProcessor();
    assertArrayEquals(previousRelease(append), bytes(backup));
  }

  @Test
  void readsThePreviousReleasesAppendFollowedByABackupOperationsFieldsWithoutADeadline()
      throws IOException {
    byte[] old = previousRelease(append(0));
    BufferObjectDataInput in = serialization.createObjectDataInput(concat(old, BACKUP_FIELDS));
    AppendEvent read = new AppendEvent();
    read.readData(in);
    assertEquals(0, read.deadline());
    assertEquals("type", read.type());
    assertEquals(old.length, in.position(), "the backup operation's fields are left to it");
  }

  @Test
  void readsItsDeadlineBackWhenItHasOne() throws IOException {
    byte[] bytes = bytes(append(123_456));
    BufferObjectDataInput in = serialization.createObjectDataInput(bytes);
    AppendEvent read = new AppendEvent();
    read.readData(in);
    assertEquals(123_456, read.deadline());
    assertEquals(bytes.length, in.position());
  }

  @Test
  void thePreviousReleaseReadsAnAppendWithADeadlineUpToItsOwnFields() throws IOException {
    AppendEvent append = append(123_456);
    byte[] bytes = bytes(append);
    BufferObjectDataInput in = serialization.createObjectDataInput(bytes);
    in.readString();
    in.readByteArray();
    in.readString();
    assertEquals(append.hashHigh(), in.readLong());
    assertEquals(append.hashLow(), in.readLong());
    assertEquals(append.now(), in.readLong());
    in.readInt();
    in.readLong();
    in.readLong();
    in.readInt();
    in.readLong();
    assertEquals("epoch1", in.readString());
    // The deadline is left unread, as the last bytes of the operation that carries the append.
    assertEquals(bytes.length - 16, in.position());
  }

  private static AppendEvent append(long deadline) {
    return new AppendEvent("type", AppendEvent.encode("{\"n\":1}"), "k:a", 1000, LIMITS, "epoch1",
        deadline);
  }

  private byte[] bytes(AppendEvent append) throws IOException {
    BufferObjectDataOutput out = serialization.createObjectDataOutput();
    append.writeData(out);
    return out.toByteArray();
  }

  /** The append as the release before the deadline wrote it (commit 516c677). */
  private byte[] previousRelease(AppendEvent append) throws IOException {
    BufferObjectDataOutput out = serialization.createObjectDataOutput();
    out.writeString(append.type());
    out.writeByteArray(append.data());
    out.writeString(append.key());
    out.writeLong(append.hashHigh());
    out.writeLong(append.hashLow());
    out.writeLong(append.now());
    out.writeInt(append.limits().capacity());
    out.writeLong(append.limits().ttlMillis());
    out.writeLong(append.limits().keyWindowMillis());
    out.writeInt(append.limits().maxKeys());
    out.writeLong(append.limits().maxBytes());
    out.writeString("epoch1");
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
