package io.switchboard.common.sse;

import java.util.Set;

/** EventTypes holds the rule for the optional SSE {@code event} type of a published event. */
public final class EventTypes {

  public static final int MAX_LENGTH = 128;

  /** A stream resumes from an id that history no longer holds. */
  public static final String HISTORY_LOST = "history-lost";
  /** The token a stream was opened with has expired; the stream ends after it. */
  public static final String TOKEN_EXPIRED = "token-expired";
  /** The server asks the client to reconnect. */
  public static final String RECONNECT = "reconnect";

  /**
   * Types only the server sends: a client that could publish them could make its subscribers
   * believe the server sent them.
   */
  public static final Set<String> RESERVED = Set.of(HISTORY_LOST, TOKEN_EXPIRED, RECONNECT);

  private EventTypes() {
  }

  /** True for 1 to 128 characters without control characters, which would break SSE framing. */
  public static boolean isValid(String type) {
    if (type == null || type.isEmpty() || type.length() > MAX_LENGTH) {
      return false;
    }
    return type.chars().noneMatch(Character::isISOControl);
  }

  /** Whether only the server may send events of this type. */
  public static boolean isReserved(String type) {
    return type != null && RESERVED.contains(type);
  }
}
