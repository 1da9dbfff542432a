package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files of the compose stack: deploy/prometheus's configuration and alert rules pass
 * {@code promtool} (from Debian's prometheus package, which ./test.sh installs) with their unit
 * tests, and the rules and deploy/grafana's dashboard read only metrics that Switchboard documents.
 */
class AlertRulesTest {

  /**
   * The names of issue 18 that dashboards and alerts depend on, a public contract; docs/operations.md
   * lists each once its processes serve it. {@code switchboard_ready} is the readiness gauge the
   * alert SwitchboardNotReady reads: 1 while the management port's /ready answers 200, else 0.
   */
  private static final Set<String> CONTRACT = Set.of(
      "switchboard_connections", "switchboard_connections_closed_total", "switchboard_echo_messages_total",
      "switchboard_signaling_frames_total", "switchboard_signaling_relays_total",
      "switchboard_events_published_total", "switchboard_events_delivered_total",
      "switchboard_publish_duration_seconds", "switchboard_delivery_lag_seconds",
      "switchboard_slow_consumer_disconnects_total", "switchboard_history_lost_total", "switchboard_errors_total",
      "switchboard_rooms", "switchboard_topics", "switchboard_cluster_members", "switchboard_ready");

  /** Prometheus's own series, and the JVM meters of Micrometer that the dashboard reads. */
  private static final Set<String> BASICS = Set.of("up", "jvm_memory_used_bytes", "jvm_threads_live_threads",
      "process_cpu_usage");

  /** A metric or recording rule name where PromQL reads one: not in a label value, not a function. */
  private static final Pattern METRIC = Pattern.compile("(?<![\\w:$\"])"
      + "(up|switchboard_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+|switchboard:[a-z0-9_:]+)(?![\\w:\"(])");
  private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(switchboard_[a-z0-9_]+)` \\|", Pattern.MULTILINE);
  private static final Pattern ALERT = Pattern.compile("^\\s*- alert: (\\S+)", Pattern.MULTILINE);
  private static final Pattern RECORD = Pattern.compile("^\\s*- record: (\\S+)", Pattern.MULTILINE);
  /** A case of alerts.test.yml: the alert's name, then {@code []} or the first alert it expects. */
  private static final Pattern CASE =
      Pattern.compile("alertname: (\\w+),?\\s*exp_alerts:\\s*(\\[\\]|\\n\\s*- exp_labels)");

  private final Path prometheus = ServiceProcess.root().resolve("deploy/prometheus");
  private final Path dashboard = ServiceProcess.root().resolve("deploy/grafana/switchboard.json");

  @Test
  void theRulesPassPromtoolAndTheirUnitTests() {
    String checked = promtool("check", "rules", prometheus.resolve("alerts.yml").toString());
    assertTrue(checked.contains("SUCCESS"), checked);
    String tested = promtool("test", "rules", prometheus.resolve("alerts.test.yml").toString());
    assertTrue(tested.contains("SUCCESS"), tested);
  }

  @Test
  void thePrometheusConfigurationLoadsTheRules() {
    String checked = promtool("check", "config", prometheus.resolve("prometheus.yml").toString());
    assertTrue(checked.contains("is valid prometheus config file"), checked);
    assertTrue(checked.contains("alerts.yml") && !checked.contains(" 0 rules found"), checked);
  }

  @Test
  void everyAlertHasACaseThatFiresItAndOneThatDoesNot() throws IOException {
    Set<String> alerts = matches(ALERT, read(prometheus.resolve("alerts.yml")));
    assertTrue(alerts.size() >= 6, "alerts: " + alerts);
    String tests = read(prometheus.resolve("alerts.test.yml"));
    Set<String> fired = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    Matcher m = CASE.matcher(tests);
    while (m.find()) {
      (m.group(2).equals("[]") ? silent : fired).add(m.group(1));
    }
    assertEquals(alerts, fired, "alerts with a test case that expects them to fire");
    assertEquals(alerts, silent, "alerts with a test case that expects them not to fire");
  }

  @Test
  void theRulesAndTheDashboardReadOnlyDocumentedMetrics() throws IOException {
    String rules = read(prometheus.resolve("alerts.yml"));
    Set<String> records = matches(RECORD, rules);
    Set<String> known = new TreeSet<>(CONTRACT);
    known.addAll(matches(DOCUMENTED, read(ServiceProcess.root().resolve("docs/operations.md"))));
    known.addAll(BASICS);
    known.addAll(records);

    // The rules file but its comments: expressions, and annotations that name recording rules.
    List<String> queries = new ArrayList<>(List.of(rules.replaceAll("(?m)^\\s*#.*$", "")));
    List<String> dashboardQueries = dashboardQueries();
    assertFalse(dashboardQueries.isEmpty(), "the dashboard has no query");
    queries.addAll(dashboardQueries);
    Set<String> unknown = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Matcher m = METRIC.matcher(query);
      while (m.find()) {
        String name = m.group(1).replaceFirst("_(bucket|count|sum)$", "");
        used.add(name);
        if (!known.contains(name) && !known.contains(m.group(1))) {
          unknown.add(m.group(1) + " in " + query.strip());
        }
      }
    }
    assertTrue(unknown.isEmpty(), "names neither documented nor in the contract: " + unknown);
    assertTrue(used.containsAll(Set.of("up", "switchboard_cluster_members", "switchboard_errors_total",
        "switchboard_publish_duration_seconds")), "the name check saw " + used);
  }

  @Test
  void everyDashboardQueryParsesAndUsesTheDatasourceVariable(@TempDir Path dir) throws IOException {
    JsonObject json = new JsonObject(read(dashboard));
    JsonArray variables = json.getJsonObject("templating").getJsonArray("list");
    assertTrue(variables.stream().map(JsonObject.class::cast)
        .anyMatch(v -> "datasource".equals(v.getString("type")) && "datasource".equals(v.getString("name"))),
        "a datasource variable named datasource");
    StringBuilder file = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (Object p : json.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      if ("row".equals(panel.getString("type"))) {
        continue;
      }
      assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
      for (Object t : panel.getJsonArray("targets")) {
        JsonObject target = (JsonObject) t;
        assertEquals("${datasource}", target.getJsonObject("datasource").getString("uid"), panel.getString("title"));
        String expr = target.getString("expr").replace("$__rate_interval", "1m").replace("$job", "gateway")
            .replace("$instance", ".+");
        file.append("      - record: dashboard:query").append(++n).append('\n')
            .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
      }
    }
    Path rules = Files.writeString(dir.resolve("dashboard-queries.yml"), file.toString());
    String checked = promtool("check", "rules", rules.toString());
    assertTrue(checked.contains("SUCCESS: " + n + " rules found"), checked);
  }

  /** Every PromQL expression of the dashboard: panel targets, and the selectors of its variables. */
  private List<String> dashboardQueries() throws IOException {
    JsonObject json = new JsonObject(read(dashboard));
    List<String> queries = new ArrayList<>();
    for (Object p : json.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
      targets.stream().map(t -> ((JsonObject) t).getString("expr")).forEach(queries::add);
    }
    for (Object v : json.getJsonObject("templating").getJsonArray("list")) {
      String definition = ((JsonObject) v).getString("definition");
      if (definition != null) {
        queries.add(definition);
      }
    }
    return queries;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static Set<String> matches(Pattern pattern, String text) {
    return new TreeSet<>(matchesInOrder(pattern, text));
  }

  private static List<String> matchesInOrder(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** Runs promtool and returns its output; it must exit with 0. */
  private static String promtool(String... args) {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
      assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
      return output;
    } catch (IOException e) {
      throw new AssertionError("promtool, from Debian's prometheus package (./test.sh installs it), did not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
