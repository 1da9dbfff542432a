package io.switchboard.common.signaling.previous;

import java.io.Serializable;
import java.util.Map;

/**
 * RoomChange as the code before the previous version declared it, for RoomChangeFormatTest: the
 * same simple names, since Java serialization matches a class by them.
 */
public record RoomChange(Outcome outcome, long version, Map<String, String> members,
    Map<String, String> removed, Map<String, String> users, Map<String, String> overCapacity)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What a room processor did. */
  public enum Outcome { JOINED, ALREADY_MEMBER, FULL, REMOVED, UNCHANGED, RECONCILED }
}
