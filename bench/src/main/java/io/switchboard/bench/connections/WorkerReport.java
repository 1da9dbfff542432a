package io.switchboard.bench.connections;

import java.util.Locale;

/**
 * WorkerReport is what a connections worker says once it has tried its share: the one line
 * {@code opened <n> failed <m> seconds <s>} on its standard output, and what the coordinator makes of
 * it. Summed over workers, {@code seconds} is the slowest worker's.
 */
record WorkerReport(long opened, long failed, double seconds) {

  static final WorkerReport NONE = new WorkerReport(0, 0, 0);

  /** The line a worker prints. */
  String line() {
    return String.format(Locale.ROOT, "opened %d failed %d seconds %.3f", opened, failed, seconds);
  }

  /** Reads a worker's line; {@code null} (the worker ended) or any other line is a failed run. */
  static WorkerReport parse(String line) {
    if (line == null || !line.startsWith("opened ")) {
      throw new IllegalStateException("a connections worker ended without reporting: " + line);
    }
    String[] f = line.split(" ");
    return new WorkerReport(Long.parseLong(f[1]), Long.parseLong(f[3]), Double.parseDouble(f[5]));
  }

  /** This report and another together: their connections added, the slower one's seconds. */
  WorkerReport plus(WorkerReport other) {
    return new WorkerReport(opened + other.opened, failed + other.failed, Math.max(seconds, other.seconds));
  }
}
