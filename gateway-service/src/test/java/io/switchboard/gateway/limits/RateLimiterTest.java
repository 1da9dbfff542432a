package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.gateway.limits.RateLimiter.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-connection token bucket and flood detection. */
class RateLimiterTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void allowsTheBurstThenRefuses() {
    RateLimiter limiter = new RateLimiter(10, 5, 100, 10 * SECOND, 0);
    for (int i = 0; i < 5; i++) {
      assertEquals(Verdict.ACCEPT, limiter.take(0));
    }
    assertEquals(Verdict.REFUSE, limiter.take(0));
  }

  @Test
  void refillsAtTheConfiguredRate() {
    RateLimiter limiter = new RateLimiter(10, 5, 100, 10 * SECOND, 0);
    for (int i = 0; i < 5; i++) {
      limiter.take(0);
    }
    assertEquals(Verdict.REFUSE, limiter.take(SECOND / 20));
    assertEquals(Verdict.ACCEPT, limiter.take(SECOND / 10 + SECOND / 20));
    assertEquals(Verdict.REFUSE, limiter.take(SECOND / 10 + SECOND / 20));
  }

  @Test
  void manyRefusalsWithinTheWindowAreFlooding() {
    RateLimiter limiter = new RateLimiter(1, 1, 3, 10 * SECOND, 0);
    assertEquals(Verdict.ACCEPT, limiter.take(0));
    assertEquals(Verdict.REFUSE, limiter.take(0));
    assertEquals(Verdict.REFUSE, limiter.take(0));
    assertEquals(Verdict.FLOODING, limiter.take(0));
  }

  @Test
  void refusalsSpreadOverWindowsAreNotFlooding() {
    RateLimiter limiter = new RateLimiter(1, 1, 3, SECOND, 0);
    long now = 0;
    for (int i = 0; i < 20; i++) {
      // One accepted and one refused message per 1.5 s: never three refusals within a second.
      now += SECOND + SECOND / 2;
      assertEquals(Verdict.ACCEPT, limiter.take(now));
      assertEquals(Verdict.REFUSE, limiter.take(now));
    }
  }
}
