package io.switchboard.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency records durations in microseconds from any event-loop thread without locks, and hands
 * out the histogram of everything recorded since the last reset.
 */
public final class Latency {

  /** One hour in microseconds: anything slower is clamped and still counted. */
  static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private Histogram total = new Histogram(MAX_MICROS, 3);

  public void recordNanos(long nanos) {
    long micros = Math.max(1, Math.min(MAX_MICROS, nanos / 1000));
    recorder.recordValue(micros);
  }

  /** Forgets everything recorded so far, for example at the end of the warm-up. */
  public synchronized void reset() {
    recorder.getIntervalHistogram();
    total = new Histogram(MAX_MICROS, 3);
  }

  /** Everything recorded since the last reset. */
  public synchronized Histogram snapshot() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }

  public static Histogram emptyHistogram() {
    return new Histogram(MAX_MICROS, 3);
  }
}
