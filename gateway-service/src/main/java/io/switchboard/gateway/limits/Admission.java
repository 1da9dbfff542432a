package io.switchboard.gateway.limits;

import io.switchboard.common.ErrorCode;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission is the answer to a new WebSocket or stream: granted, with the counts it holds until
 * {@link #release()}, or refused, with the error its client gets.
 */
public final class Admission {

  private static final Runnable NOTHING = () -> { };

  private final ErrorCode refusal;
  private final String message;
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();

  private Admission(ErrorCode refusal, String message, Runnable onRelease) {
    this.refusal = refusal;
    this.message = message;
    this.onRelease = onRelease;
  }

  static Admission granted(Runnable onRelease) {
    return new Admission(null, null, onRelease);
  }

  static Admission refused(ErrorCode code, String message) {
    return new Admission(code, message, NOTHING);
  }

  public boolean granted() {
    return refusal == null;
  }

  /** Why it was refused, or null when granted. */
  public ErrorCode refusal() {
    return refusal;
  }

  public String message() {
    return message;
  }

  /** Stops counting the connection; the first call does, later ones do nothing. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      onRelease.run();
    }
  }
}
