package io.switchboard.common.cluster;

import com.hazelcast.internal.nio.BufferObjectDataInput;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * TrailingFields lets a class that Hazelcast moves between members ({@code DataSerializable} map
 * values, entry processors) gain fields while members of the release before, which neither write
 * nor read them, run beside it.
 *
 * <p>New fields go after every existing one, behind a marker of their own: a 64-bit constant the
 * class picks once and never reuses. A reader looks for the marker where the fields would start and
 * reads them only when it is there; without it, it leaves the stream where it was and keeps the
 * fields' defaults. The marker, not the bytes left, tells: an entry processor is written inside a
 * backup operation followed by the operation's own fields, so bytes left do not mean fields of
 * ours. An older reader stops before the marker, which is safe only where nothing of Hazelcast's
 * follows the object: a map value, an entry processor sent to the partition's owner. So a writer
 * writes new fields only when they differ from their defaults, and a processor's backup (run by
 * whatever release holds the backup) carries none (docs/operations.md, "What a release may change
 * on the bus").
 */
public final class TrailingFields {

  private TrailingFields() {
  }

  /** Writes {@code marker}; the new fields follow it. */
  public static void mark(ObjectDataOutput out, long marker) throws IOException {
    out.writeLong(marker);
  }

  /**
   * True, past the marker, when {@code marker} comes next in {@code in}: the new fields follow.
   * False, with {@code in} left where it was, when anything else or nothing does.
   */
  public static boolean marked(ObjectDataInput in, long marker) throws IOException {
    if (!(in instanceof BufferObjectDataInput buffer)) {
      return false;
    }
    int at = buffer.position();
    // read(position) is -1 past the end: fewer than 8 bytes left cannot hold a marker.
    if (buffer.read(at + Long.BYTES - 1) < 0 || buffer.readLong(at) != marker) {
      return false;
    }
    buffer.readLong();
    return true;
  }
}
