package io.switchboard.bench.report;

import io.switchboard.bench.Result;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Rounds is the round-by-round table of a scenario: every round of every system, in the order
 * they ran, so that a reader sees the spread rather than only the median and the merged
 * percentiles.
 */
final class Rounds {

  private Rounds() {
  }

  static String table(String scenario, List<Aggregate> systems) {
    String per = Report.unitName(systems.get(0).unit());
    StringBuilder t = new StringBuilder("Every round:\n\n");
    t.append("| system | round | ").append(systems.get(0).unit()).append(" | p50 ms | p99 ms | p99.9 ms | server CPU µs per ")
        .append(per).append(" | load tool CPU µs per ").append(per).append(" | errors | delivery |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Aggregate a : systems) {
      for (Result r : a.all()) {
        Histogram h = r.histogram();
        t.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s | %s | %s | %s | %d | %s |\n", a.system(),
            r.json().getInteger("round", 1), r.throughputValue(), ms(h, 50), ms(h, 99), ms(h, 99.9),
            Report.fixed(Aggregate.number(r.extras(), "cpu.serverMicrosPerUnit")),
            Report.fixed(Aggregate.number(r.extras(), "cpu.clientMicrosPerUnit")), r.json().getLong("errors", 0L),
            delivery(scenario, r)));
      }
    }
    return t.toString();
  }

  private static String ms(Histogram h, double p) {
    return h.getTotalCount() == 0 ? "–" : String.format(Locale.ROOT, "%.2f", h.getValueAtPercentile(p) / 1000.0);
  }

  /** For the fan-outs, whether every subscriber got every event; for the others nothing to say. */
  static String delivery(String scenario, Result r) {
    if (!scenario.equals("sse-fanout") && !scenario.equals("ws-fanout")) {
      return "";
    }
    if (r.extras().getBoolean("allDelivered", false)) {
      double last = Aggregate.number(r.extras(), "lastDeliveryP50Ms");
      return Double.isNaN(last) ? "every event delivered"
          : String.format(Locale.ROOT, "every event delivered; last subscriber p50 %.0f ms", last);
    }
    return String.format(Locale.ROOT, "%,d deliveries missing", r.extras().getLong("missingDeliveries", 0L));
  }
}
