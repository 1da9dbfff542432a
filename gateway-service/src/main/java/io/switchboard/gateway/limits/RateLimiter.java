package io.switchboard.gateway.limits;

/**
 * RateLimiter is one connection's token bucket plus a flood detector: a message takes a token or is
 * refused, and too many refusals within a window mean the client is flooding.
 *
 * <p>Used from one event loop only; time is passed in so tests need no clock.
 */
public final class RateLimiter {

  /** What to do with a message. */
  public enum Verdict { ACCEPT, REFUSE, FLOODING }

  private final double perNano;
  private final double burst;
  private final int floodLimit;
  private final long floodWindowNanos;
  private double tokens;
  private long refilledAt;
  private long windowStart;
  private int refusedInWindow;

  public RateLimiter(int perSecond, int burst, int floodLimit, long floodWindowNanos, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.floodLimit = floodLimit;
    this.floodWindowNanos = floodWindowNanos;
    this.tokens = burst;
    this.refilledAt = nowNanos;
    this.windowStart = nowNanos;
  }

  public Verdict take(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * perNano);
    refilledAt = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.ACCEPT;
    }
    if (nowNanos - windowStart > floodWindowNanos) {
      windowStart = nowNanos;
      refusedInWindow = 0;
    }
    refusedInWindow++;
    return refusedInWindow >= floodLimit ? Verdict.FLOODING : Verdict.REFUSE;
  }
}
