package io.switchboard.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Poll waits on the test thread until a condition holds, or fails after a deadline. */
final class Poll {

  private static final long INTERVAL_NANOS = Duration.ofMillis(20).toNanos();

  private Poll() {
  }

  static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not reached within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }
}
