package io.switchboard.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.bench.Args;
import io.switchboard.bench.Latency;
import io.switchboard.bench.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateTest {

  @Test
  void takesTheMedianThroughputAndMergesLatencyOfAllRounds() {
    Aggregate a = new Aggregate("node-ws");
    a.add(round(1, 100, 1_000, 1));
    a.add(round(2, 300, 3_000, 1));
    a.add(round(3, 200, 2_000, 1));

    assertEquals(200, a.throughput(), 1e-9);
    assertEquals(100, a.min(), 1e-9);
    assertEquals(300, a.max(), 1e-9);
    assertEquals(3, a.latency().getTotalCount());
    assertEquals(3.0, a.percentileMs(100), 0.01);
    assertEquals(3, a.errors());
  }

  @Test
  void survivesTheJsonRoundTripWithItsHistogram(@TempDir Path dir) throws Exception {
    Result r = round(1, 123, 4_500, 0).extra("allDelivered", true);
    r.write(dir.resolve("echo--x.json"));

    Result back = Result.read(dir.resolve("echo--x.json"));

    assertEquals(123, back.throughputValue(), 1e-9);
    assertEquals(r.histogram(), back.histogram());
    assertEquals(4.5, back.json().getJsonObject("latency").getDouble("p99"), 0.01);
  }

  @Test
  void everyRoundMustDeliverEverythingForTheAggregateToSaySo() {
    Aggregate a = new Aggregate("switchboard");
    a.add(round(1, 1, 1, 0).extra("allDelivered", true).extra("missingDeliveries", 0));
    a.add(round(2, 1, 1, 0).extra("allDelivered", false).extra("missingDeliveries", 5));

    assertFalse(a.extraAll("allDelivered"));
    assertEquals(5, a.extraSum("missingDeliveries"));
  }

  @Test
  void writesATableWithRatiosAgainstTheBaselineAndCharts(@TempDir Path dir) throws Exception {
    round(1, 200, 1_000, 0).write(dir.resolve("a.json"));
    Result base = Result.of("echo", "node-ws", Args.parse(new String[] {"--round", "1"}))
        .throughput(100, "msg/s", 1000, 10).latency(histogramOf(2_000)).errors(0);
    base.write(dir.resolve("b.json"));

    String md = Report.render(Report.load(dir), Map.of("echo", "node-ws"), dir, "");

    assertTrue(md.contains("| switchboard | 200 |"), md);
    assertTrue(md.contains("| 2.00 |"), md);
    assertTrue(md.contains("| 0.50 |"), md);
    assertTrue(Files.size(dir.resolve("echo-throughput.png")) > 0);
    assertTrue(Files.size(dir.resolve("echo-latency.png")) > 0);
  }

  private static Result round(int round, double throughput, long latencyMicros, long errors) {
    return Result.of("echo", "switchboard", Args.parse(new String[] {"--round", Integer.toString(round)}))
        .throughput(throughput, "msg/s", (long) throughput * 10, 10)
        .latency(histogramOf(latencyMicros))
        .errors(errors);
  }

  private static Histogram histogramOf(long micros) {
    Histogram h = Latency.emptyHistogram();
    h.recordValue(micros);
    return h;
  }
}
