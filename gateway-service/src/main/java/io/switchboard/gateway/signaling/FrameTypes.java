package io.switchboard.gateway.signaling;

import io.switchboard.gateway.auth.SocketAccess;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * FrameTypes counts the text frames signaling clients send, by type: the types of the protocol,
 * {@code other} for a type it does not know and {@code invalid} for a frame that is not a JSON
 * object with a string {@code type}. The names are metric label values, so there are only these.
 * Any thread may count and read.
 */
public final class FrameTypes {

  /** The types counted apart, in the order metrics list them. */
  public static final List<String> TYPES = List.of("join", "leave", "sdp", "ice-candidate", "broadcast",
      SocketAccess.REFRESH, "other", "invalid");

  private final LongAdder[] counts = new LongAdder[TYPES.size()];

  public FrameTypes() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts a frame of {@code type}, or of {@code other} when the protocol has no such type. */
  void mark(String type) {
    int index = TYPES.indexOf(type);
    counts[index < 0 || index == TYPES.size() - 1 ? TYPES.size() - 2 : index].increment();
  }

  /** Counts a frame that has no type to count it by. */
  void markInvalid() {
    counts[TYPES.size() - 1].increment();
  }

  /** Frames counted of {@code type}, one of {@link #TYPES}. */
  public long count(String type) {
    return counts[TYPES.indexOf(type)].sum();
  }
}
