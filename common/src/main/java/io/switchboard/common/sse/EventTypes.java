package io.switchboard.common.sse;

/** EventTypes holds the rule for the optional SSE {@code event} type of a published event. */
public final class EventTypes {

  public static final int MAX_LENGTH = 128;

  private EventTypes() {
  }

  /** True for 1 to 128 characters without control characters, which would break SSE framing. */
  public static boolean isValid(String type) {
    if (type == null || type.isEmpty() || type.length() > MAX_LENGTH) {
      return false;
    }
    return type.chars().noneMatch(Character::isISOControl);
  }
}
