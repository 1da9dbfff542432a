package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.switchboard.common.cluster.TrailingFields;
import java.io.IOException;
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

  /** Opens the trailer ({@link TrailingFields}). */
  static final long MARKER = 0x53424A524E4C3032L;

  void writeData(ObjectDataOutput out) throws IOException {
    TrailingFields.mark(out, MARKER);
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
    if (!TrailingFields.marked(in, MARKER)) {
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
}
