package io.switchboard.it.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * RssSampler reads the resident set size ({@code VmRSS} in {@code /proc/<pid>/status}) of every
 * process of the run at a fixed interval, and judges whether each stayed flat once warmed up: the
 * median of the last quarter of its samples against the median of the first quarter. A process's
 * warm-up counts from when it was up and the load was running, whichever came later.
 */
final class RssSampler implements AutoCloseable {

  /** One process's samples (milliseconds of the run's clock, kibibytes resident), and when it was up. */
  private static final class Series {
    final String name;
    final long pid;
    final BooleanSupplier alive;
    final List<long[]> samples = new ArrayList<>();
    long upMs = Long.MAX_VALUE;
    boolean ended;

    Series(String name, long pid, BooleanSupplier alive) {
      this.name = name;
      this.pid = pid;
      this.alive = alive;
    }
  }

  /** A judged process: its medians in MiB, and whether the growth stayed within the bound. */
  record Verdict(String name, int samples, long firstMib, long lastMib, long maxMib, double growth,
      boolean flat) {
  }

  private final Map<String, Series> series = new LinkedHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final long intervalMs;
  private volatile long loadBeganMs = Long.MAX_VALUE;

  RssSampler(long intervalMs) {
    this.intervalMs = intervalMs;
    timer.scheduleAtFixedRate(this::sample, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** Samples {@code pid} while {@code alive} says so; never again after, lest the pid be reused. */
  synchronized void track(String name, long pid, BooleanSupplier alive) {
    series.put(name, new Series(name, pid, alive));
  }

  /** The process {@code name} has started and joined. */
  synchronized void up(String name) {
    series.get(name).upMs = System.currentTimeMillis();
  }

  /** The load has begun: no process is warm before this. */
  void loadBegan() {
    loadBeganMs = System.currentTimeMillis();
  }

  private synchronized void sample() {
    long now = System.currentTimeMillis();
    for (Series process : series.values()) {
      process.ended |= !process.alive.getAsBoolean();
      long kib = process.ended ? 0 : residentKib(process.pid);
      if (kib > 0) {
        process.samples.add(new long[] {now, kib});
      }
    }
  }

  /** VmRSS of {@code pid} in KiB, or 0 once the process is gone. */
  static long residentKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // The process exited between two samples.
    }
    return 0;
  }

  /**
   * Judges every process that has at least {@code minSamples} samples after {@code warmUpSeconds}
   * of its life; growth is last-quarter median over first-quarter median, minus one.
   */
  synchronized List<Verdict> judge(long warmUpSeconds, int minSamples, double maxGrowth) {
    List<Verdict> verdicts = new ArrayList<>();
    for (Series process : series.values()) {
      long warmFrom = Math.max(process.upMs, loadBeganMs) + warmUpSeconds * 1000;
      List<Long> warm = process.samples.stream().filter(s -> s[0] >= warmFrom).map(s -> s[1]).toList();
      if (warm.size() < minSamples) {
        continue;
      }
      int quarter = Math.max(1, warm.size() / 4);
      long first = median(warm.subList(0, quarter));
      long last = median(warm.subList(warm.size() - quarter, warm.size()));
      long max = warm.stream().mapToLong(Long::longValue).max().orElse(0);
      double growth = (double) last / first - 1;
      verdicts.add(new Verdict(process.name, warm.size(), first / 1024, last / 1024, max / 1024,
          growth, growth <= maxGrowth));
    }
    return verdicts;
  }

  /** How many processes were sampled, judged or not. */
  synchronized int tracked() {
    return series.size();
  }

  long intervalMs() {
    return intervalMs;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
