package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A process run from its packaged jar writes its log as text, or as one JSON object per line. */
class ProcessLogsTest {

  private static final Duration START = Duration.ofSeconds(180);

  private final List<ServiceProcess> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(ServiceProcess::close);
  }

  private ServiceProcess launch(String name, String format) {
    return launch(name, Map.of("LOG_FORMAT", format));
  }

  private ServiceProcess launch(String name, Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("CLUSTER_NAME", "sb-logs-" + UUID.randomUUID().toString().substring(0, 8));
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar("sse-service", "sse-service"), all);
    processes.add(process);
    return process;
  }

  @Test
  void jsonLogsAreOneObjectPerLineNamingTheServiceAndNode() {
    ServiceProcess sse = launch("sse-json", "json");
    String node = sse.awaitStarted(START);
    JsonObject started = null;
    for (String line : sse.output().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject entry;
      try {
        entry = new JsonObject(line);
      } catch (DecodeException e) {
        throw new AssertionError("not a JSON object: " + line, e);
      }
      assertTrue(entry.containsKey("level") && entry.containsKey("loggerName")
          && entry.containsKey("formattedMessage") && entry.containsKey("timestamp"), line);
      if (entry.getString("formattedMessage", "").startsWith("Started sse-service on node")) {
        started = entry;
      }
    }
    assertTrue(started != null, "the start-up line is logged: " + sse.output());
    JsonObject properties = started.getJsonObject("context").getJsonObject("properties");
    assertEquals("sse-service", properties.getString("service"));
    assertEquals(node, properties.getString("node"));
  }

  @Test
  void theTickingSseServiceStopsOnSigtermReleasingItsLockWithoutAnUncaughtException() {
    ServiceProcess sse = launch("sse-ticking", "text");
    sse.awaitStarted(START);
    sse.awaitOutput(java.util.regex.Pattern.compile("is now the ticker"), START);
    // 128 + SIGTERM: the JVM exits as a terminated process does, after its shutdown hooks.
    assertEquals(143, sse.terminate(Duration.ofSeconds(60)), sse.output());
    assertTrue(sse.output().contains("stopped ticking"), sse.output());
    assertFalse(sse.output().contains("Uncaught exception"), sse.output());
    assertFalse(sse.output().contains("HazelcastInstanceNotActiveException"), sse.output());
  }

  @Test
  void anUnknownLogLevelStopsTheProcessWithTheReason() {
    ServiceProcess sse = launch("sse-loud", Map.of("LOG_LEVEL", "LOUD"));
    assertEquals(2, sse.waitFor(Duration.ofSeconds(60)));
    assertTrue(sse.output().contains("LOG_LEVEL"), sse.output());
  }

  @Test
  void anUnknownLogFormatStopsTheProcessWithTheReason() {
    ServiceProcess sse = launch("sse-yaml", "yaml");
    assertEquals(2, sse.waitFor(Duration.ofSeconds(60)));
    assertTrue(sse.output().contains("LOG_FORMAT"), sse.output());
  }
}
