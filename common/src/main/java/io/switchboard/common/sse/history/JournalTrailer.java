package io.switchboard.common.sse.history;

import com.hazelcast.internal.nio.BufferObjectDataInput;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * JournalTrailer is what a {@link TopicJournal} writes after its keys since merges join diverged
 * histories: the epochs it replaced and the limits of its last append.
 *
 * <p>A journal written by the version before has no trailer: its form ends with the keys, and it
 * reads with no replaced epoch and unknown limits. That version reads this form and ignores the
 * trailer, since Hazelcast reads a value from a buffer of its own. A marker opens the trailer, so
 * that a reader that cannot tell whether bytes are left reads nothing it should not.
 *
 * @param replaced the replaced epochs, the newest first
 * @param limits the last append's limits, null when unknown
 */
record JournalTrailer(List<String> replaced, HistoryLimits limits) {

  /** Opens the trailer. */
  static final int MARKER = 0x4A524E32;

  void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(MARKER);
    out.writeInt(replaced.size());
    for (String epoch : replaced) {
      out.writeString(epoch);
    }
    out.writeBoolean(limits != null);
    if (limits != null) {
      out.writeInt(limits.capacity());
      out.writeLong(limits.ttlMillis());
      out.writeLong(limits.keyWindowMillis());
      out.writeInt(limits.maxKeys());
      out.writeLong(limits.maxBytes());
    }
  }

  /** The trailer after a journal's keys; null when the journal was written without one. */
  static JournalTrailer read(ObjectDataInput in) throws IOException {
    if (!opens(in)) {
      return null;
    }
    int count = in.readInt();
    List<String> replaced = new ArrayList<>(Math.min(count, TopicJournal.MAX_REPLACED_EPOCHS));
    for (int i = 0; i < count; i++) {
      replaced.add(in.readString());
    }
    HistoryLimits limits = in.readBoolean()
        ? new HistoryLimits(in.readInt(), in.readLong(), in.readLong(), in.readInt(), in.readLong())
        : null;
    return new JournalTrailer(replaced, limits);
  }

  /** Reads the marker when one follows; leaves the input where it was otherwise, when it can. */
  private static boolean opens(ObjectDataInput in) throws IOException {
    if (!(in instanceof InputStream stream) || stream.available() < Integer.BYTES) {
      return false;
    }
    if (in instanceof BufferObjectDataInput buffer) {
      int at = buffer.position();
      if (in.readInt() == MARKER) {
        return true;
      }
      buffer.position(at);
      return false;
    }
    return in.readInt() == MARKER;
  }
}
