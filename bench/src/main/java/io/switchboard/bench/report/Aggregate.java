package io.switchboard.bench.report;

import io.switchboard.bench.Latency;
import io.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Aggregate is one system's figures for one scenario over every round of a comparison: the median
 * throughput, the latency histogram of all rounds merged, and the errors summed.
 */
public final class Aggregate {

  private final String system;
  private final List<Result> rounds = new ArrayList<>();
  private final Histogram latency = Latency.emptyHistogram();

  public Aggregate(String system) {
    this.system = system;
  }

  public void add(Result round) {
    rounds.add(round);
    latency.add(round.histogram());
  }

  public String system() {
    return system;
  }

  public int rounds() {
    return rounds.size();
  }

  public String unit() {
    return rounds.isEmpty() ? "" : rounds.get(0).json().getString("throughputUnit", "");
  }

  /** The median over rounds, which one noisy round on a shared machine cannot drag far. */
  public double throughput() {
    return median(rounds.stream().mapToDouble(Result::throughputValue).toArray());
  }

  public double min() {
    return rounds.stream().mapToDouble(Result::throughputValue).min().orElse(0);
  }

  public double max() {
    return rounds.stream().mapToDouble(Result::throughputValue).max().orElse(0);
  }

  public Histogram latency() {
    return latency;
  }

  /** A latency percentile in milliseconds over all rounds, or NaN when none was recorded. */
  public double percentileMs(double p) {
    return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
  }

  public long errors() {
    return rounds.stream().mapToLong(r -> r.json().getLong("errors", 0L)).sum();
  }

  /** The median over rounds of a numeric figure in {@code extra}, possibly nested ({@code join.p99}). */
  public double extraMedian(String path) {
    return median(rounds.stream().mapToDouble(r -> number(r.extras(), path)).filter(d -> !Double.isNaN(d)).toArray());
  }

  /** True when the boolean figure {@code key} in {@code extra} is true in every round. */
  public boolean extraAll(String key) {
    return !rounds.isEmpty() && rounds.stream().allMatch(r -> r.extras().getBoolean(key, false));
  }

  public long extraSum(String key) {
    return rounds.stream().mapToLong(r -> r.extras().getLong(key, 0L)).sum();
  }

  /** Every round, in the order they were added. */
  public List<Result> all() {
    return List.copyOf(rounds);
  }

  public Result last() {
    return rounds.get(rounds.size() - 1);
  }

  static double number(JsonObject json, String path) {
    Object node = json;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject obj) || !obj.containsKey(part)) {
        return Double.NaN;
      }
      node = obj.getValue(part);
    }
    return node instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
