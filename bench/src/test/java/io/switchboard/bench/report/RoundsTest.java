package io.switchboard.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.Args;
import io.switchboard.bench.Latency;
import io.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RoundsTest {

  @Test
  void listsEveryRoundWithItsOwnPercentilesAndCpuOnBothSides() {
    Aggregate a = new Aggregate("switchboard-embedded");
    a.add(round(1, 50_000, 94_000, 6.5, 7.1, true));
    a.add(round(2, 49_000, 210_000, 9.25, 8.0, false));

    String md = Rounds.table("sse-fanout", List.of(a));

    assertTrue(md.contains("| switchboard-embedded | 1 | 50,000 | 94.02 | 94.02 | 94.02 | 6.50 | 7.10 | 0 |"
        + " every event delivered |"), md);
    assertTrue(md.contains("| switchboard-embedded | 2 | 49,000 | 210.05 | 210.05 | 210.05 | 9.25 | 8.00 | 0 |"
        + " 12 deliveries missing |"), md);
    assertTrue(md.contains("load tool CPU µs per event"), md);
  }

  @Test
  void theMainTableGivesTheLoadToolsCpuPerUnitToo() {
    Aggregate a = new Aggregate("switchboard-embedded");
    a.add(round(1, 50_000, 94_000, 6.5, 7.1, true));

    String md = Report.table("sse-fanout", List.of(a), null);

    assertTrue(md.contains("| load tool CPU µs per event |"), md);
    assertTrue(md.contains("| 6.50 |"), md);
    assertTrue(md.contains("| 7.10 |"), md);
  }

  private static Result round(int round, double perSecond, long p99Micros, double serverMicros, double clientMicros,
      boolean allDelivered) {
    Histogram h = Latency.emptyHistogram();
    h.recordValue(p99Micros);
    return Result.of("sse-fanout", "switchboard-embedded", Args.parse(new String[] {"--round", Integer.toString(round)}))
        .throughput(perSecond, "events/s", (long) perSecond * 15, 15)
        .latency(h)
        .errors(0)
        .extra("allDelivered", allDelivered)
        .extra("missingDeliveries", allDelivered ? 0 : 12)
        .extra("cpu", new JsonObject().put("serverMicrosPerUnit", serverMicros).put("clientMicrosPerUnit", clientMicros));
  }
}
