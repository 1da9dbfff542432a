package io.switchboard.bench.fanout;

import java.util.Arrays;

/**
 * LastDeliveries keeps, for each event, the latency of the delivery that reached a subscriber last:
 * how long the fan-out of that event took. Safe to record from several event loops.
 */
final class LastDeliveries {

  private long[] nanosBySeq = new long[1024];
  private boolean[] seen = new boolean[1024];

  synchronized void record(long seq, long nanos) {
    if (seq < 0 || seq > Integer.MAX_VALUE - 1) {
      return;
    }
    int i = (int) seq;
    if (i >= nanosBySeq.length) {
      int size = Math.max(i + 1, nanosBySeq.length * 2);
      nanosBySeq = Arrays.copyOf(nanosBySeq, size);
      seen = Arrays.copyOf(seen, size);
    }
    if (!seen[i] || nanos > nanosBySeq[i]) {
      nanosBySeq[i] = nanos;
      seen[i] = true;
    }
  }

  /** The recorded events' last-delivery latencies in milliseconds, ascending. */
  synchronized long[] sortedMillis() {
    long[] millis = new long[nanosBySeq.length];
    int n = 0;
    for (int i = 0; i < nanosBySeq.length; i++) {
      if (seen[i]) {
        millis[n++] = Math.round(nanosBySeq[i] / 1e6);
      }
    }
    long[] sorted = Arrays.copyOf(millis, n);
    Arrays.sort(sorted);
    return sorted;
  }

  /** The nearest-rank percentile of {@code sorted}; 0 when empty. */
  static long percentile(long[] sorted, double percent) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }
}
