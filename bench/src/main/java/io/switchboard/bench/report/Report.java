package io.switchboard.bench.report;

import io.switchboard.bench.Args;
import io.switchboard.bench.Console;
import io.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Report reads the JSON results of a comparison run and writes a markdown table per scenario, with
 * absolute figures and ratios against each scenario's baseline system, plus the PNG charts.
 */
public final class Report {

  private static final String DEFAULT_BASELINES =
      "echo=node-ws,sse-fanout=express-sse,signaling-relay=socketio-redis";

  private Report() {
  }

  public static void run(Args args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path results = Path.of(args.required("results"));
    Path out = Path.of(args.string("out", results.toString()));
    Files.createDirectories(out);
    Map<String, String> baselines = new LinkedHashMap<>();
    for (String kv : args.list("baselines", DEFAULT_BASELINES)) {
      String[] p = kv.split("=", 2);
      baselines.put(p[0], p[1]);
    }
    Map<String, Map<String, Aggregate>> groups = load(results);
    String markdown = render(groups, baselines, out, args.string("chart-link-prefix", ""));
    Path md = out.resolve("results.md");
    Files.writeString(md, markdown);
    Console.line("report: " + md.toAbsolutePath());
  }

  static Map<String, Map<String, Aggregate>> load(Path dir) throws IOException {
    List<Result> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        all.add(Result.read(f));
      }
    }
    all.sort(Comparator.comparing(r -> r.json().getString("startedAt", "")));
    Map<String, Map<String, Aggregate>> groups = new LinkedHashMap<>();
    for (Result r : all) {
      groups.computeIfAbsent(r.group(), g -> new LinkedHashMap<>())
          .computeIfAbsent(r.system(), Aggregate::new)
          .add(r);
    }
    return groups;
  }

  static String render(Map<String, Map<String, Aggregate>> groups, Map<String, String> baselines, Path chartDir,
      String linkPrefix) throws IOException {
    StringBuilder md = new StringBuilder();
    for (Map.Entry<String, Map<String, Aggregate>> g : groups.entrySet()) {
      String group = g.getKey();
      List<Aggregate> systems = new ArrayList<>(g.getValue().values());
      String scenario = systems.get(0).last().scenario();
      Aggregate base = baseline(g.getValue(), baselines.get(scenario));
      md.append("### ").append(group).append("\n\n");
      md.append(table(scenario, systems, base)).append('\n');
      if (!scenario.equals("connections")) {
        md.append(Rounds.table(scenario, systems)).append('\n');
      }
      String slug = group.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
      if (!scenario.equals("connections")) {
        Charts.throughput(chartDir.resolve(slug + "-throughput.png"), group + ": throughput (median of rounds)",
            systems.get(0).unit(), systems);
        md.append("![").append(group).append(" throughput](").append(linkPrefix).append(slug)
            .append("-throughput.png)\n");
        Charts.latencyCdf(chartDir.resolve(slug + "-latency.png"), group + ": latency CDF (all rounds)", systems);
        md.append("![").append(group).append(" latency CDF](").append(linkPrefix).append(slug)
            .append("-latency.png)\n\n");
      }
    }
    return md.toString();
  }

  /**
   * The baseline of a group: the first of {@code names} ({@code a|b}: the baseline system, or
   * another where the group does not run it) that the group holds; null when none.
   */
  static Aggregate baseline(Map<String, Aggregate> systems, String names) {
    if (names == null) {
      return null;
    }
    for (String name : names.split("\\|")) {
      Aggregate a = systems.get(name.trim());
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  static String table(String scenario, List<Aggregate> systems, Aggregate base) {
    StringBuilder t = new StringBuilder();
    String unit = systems.get(0).unit();
    if (scenario.equals("connections")) {
      t.append("| system | open | failed | connects/s | server RSS growth per conn | live heap per conn | server open files / hard limit |\n");
      t.append("|---|---:|---:|---:|---:|---:|---:|\n");
      for (Aggregate a : systems) {
        JsonObject after = a.last().extras().getJsonObject("gatewayAfter", new JsonObject());
        double heap = a.extraMedian("heapBytesPerConnection");
        t.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %.1f KiB | %s | %,d / %,d |\n",
            a.system(), a.extraSum("opened") / Math.max(1, a.rounds()), a.extraSum("failed"), a.throughput(),
            a.extraMedian("rssBytesPerConnection") / 1024,
            Double.isNaN(heap) ? "n/a" : String.format(Locale.ROOT, "%.1f KiB", heap / 1024),
            after.getLong("openFiles", -1L), after.getLong("openFilesHardLimit", -1L)));
      }
      return t.toString();
    }
    String per = unitName(unit);
    t.append("| system | ").append(unit).append(" (median) | range | × ").append(base == null ? "baseline" : base.system())
        .append(" | p50 ms | p99 ms | p99.9 ms | p99 × baseline | server cores | server CPU µs per ").append(per)
        .append(" | load tool cores | load tool CPU µs per ").append(per).append(" | errors | rounds | notes |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Aggregate a : systems) {
      t.append(String.format(Locale.ROOT,
          "| %s | %,.0f | %,.0f–%,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s |\n",
          a.system(), a.throughput(), a.min(), a.max(),
          base == null ? "–" : ratio(a.throughput(), base.throughput()),
          ms(a.percentileMs(50)), ms(a.percentileMs(99)), ms(a.percentileMs(99.9)),
          base == null ? "–" : ratio(a.percentileMs(99), base.percentileMs(99)),
          fixed(a.extraMedian("cpu.serverCores")), fixed(a.extraMedian("cpu.serverMicrosPerUnit")),
          fixed(a.extraMedian("cpu.clientCores")), fixed(a.extraMedian("cpu.clientMicrosPerUnit")), a.errors(),
          a.rounds(), notes(scenario, a)));
    }
    return t.toString();
  }

  /** "msg/s" becomes "msg": what one unit of throughput is. */
  static String unitName(String unit) {
    return unit.endsWith("/s") ? unit.substring(0, unit.length() - 2).replaceAll("s$", "") : unit;
  }

  /** Two decimals, or a dash when nothing was measured. */
  static String fixed(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }

  /** A ratio, or a dash when either side measured nothing. */
  private static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "–" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String notes(String scenario, Aggregate a) {
    return switch (scenario) {
      case "sse-fanout", "ws-fanout" -> String.format(Locale.ROOT, "%,.0f subscribers; %s%s", a.extraMedian("subscribers"),
          a.extraAll("allDelivered") ? "every event delivered in every round"
              : String.format(Locale.ROOT, "%,d deliveries missing, %,d publishes unanswered",
                  a.extraSum("missingDeliveries"), a.extraSum("publishesUnanswered")),
          Double.isNaN(a.extraMedian("lastDeliveryP50Ms")) ? ""
              : String.format(Locale.ROOT, "; an event reaches its last subscriber in %.0f ms (p50 of events), %.0f ms (p90)",
                  a.extraMedian("lastDeliveryP50Ms"), a.extraMedian("lastDeliveryP90Ms")));
      case "signaling-relay" -> String.format(Locale.ROOT, "%,.0f pairs; %s %,.0f/s, p99 %.2f ms",
          a.extraMedian("pairs"), a.last().extras().getBoolean("joinIsRegistration", false) ? "registrations" : "joins",
          a.extraMedian("joinsPerSecond"), a.extraMedian("join.p99"));
      case "ws-publish" -> String.format(Locale.ROOT, "%,.0f connections, %,.0f publishes/s; %,d acknowledged, %,d unanswered",
          a.extraMedian("connections"), a.extraMedian("rate"), a.extraSum("acknowledged"), a.extraSum("unanswered"));
      case "echo" -> String.format(Locale.ROOT, "%,.0f conns × %,.0f in flight", a.extraMedian("connections"),
          a.extraMedian("inFlight"));
      default -> "";
    };
  }
}
