package io.switchboard.common.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * RateMeter counts events and reports how many happened per second since it was last read.
 * Marking is cheap and thread-safe, so hot paths can call it for every message.
 */
public final class RateMeter {

  private final LongAdder count = new LongAdder();
  private long lastCount;
  private long lastNanos = System.nanoTime();

  public void mark() {
    count.increment();
  }

  public void mark(long events) {
    count.add(events);
  }

  /** Events counted since the meter was created. */
  public long total() {
    return count.sum();
  }

  /** Events per second since the previous call, rounded to one decimal. */
  public synchronized double perSecondSinceLastRead() {
    long now = System.nanoTime();
    long total = count.sum();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    double rate = (total - lastCount) / seconds;
    lastCount = total;
    lastNanos = now;
    return Math.round(rate * 10) / 10.0;
  }
}
