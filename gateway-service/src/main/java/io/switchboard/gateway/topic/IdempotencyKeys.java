package io.switchboard.gateway.topic;

/**
 * IdempotencyKeys is the rule every publisher's idempotency key follows, whether it comes as the
 * {@code Idempotency-Key} header of an HTTP publish or as the {@code ref} of a WebSocket one: 1 to
 * {@value #MAX_LENGTH} visible ASCII characters.
 */
public final class IdempotencyKeys {

  public static final int MAX_LENGTH = 255;

  /** What a client is told when its key breaks the rule. */
  public static final String RULE = "1 to " + MAX_LENGTH + " visible ASCII characters";

  private IdempotencyKeys() {
  }

  public static boolean isValid(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
