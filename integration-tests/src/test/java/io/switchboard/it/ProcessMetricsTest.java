package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every process, run from its packaged jar, serves {@code /metrics}, {@code /health} and
 * {@code /ready} on its management port, and the gateway's counters equal what a scripted workload
 * did.
 */
class ProcessMetricsTest {

  private static final Duration START = Duration.ofSeconds(180);

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final String clusterName = "sb-metrics-" + UUID.randomUUID().toString().substring(0, 8);
  private Vertx clients;

  @BeforeEach
  void start() {
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    processes.forEach(ServiceProcess::close);
    TestCluster.await(clients.close());
  }

  private ServiceProcess launch(String name, String module, int managementPort, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", clusterName);
    env.put("HTTP_PORT", "0");
    env.put("MANAGEMENT_HOST", "127.0.0.1");
    env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar(module, module), env);
    processes.add(process);
    return process;
  }

  @Test
  void gatewayCountersEqualTheWorkloadAndEveryProcessAnswersItsProbes() {
    int ssePort = freePort();
    int echoPort = freePort();
    int gatewayPort = freePort();
    int signalingPort = freePort();
    ServiceProcess sse = launch("sse", "sse-service", ssePort);
    ServiceProcess echo = launch("echo", "echo-service", echoPort);
    ServiceProcess signalingService = launch("signaling", "signaling-service", signalingPort);
    // One event loop: each live event is timed once per transport.
    ServiceProcess gateway = launch("gateway", "gateway-service", gatewayPort, "GATEWAY_EVENT_LOOPS", "1");
    for (ServiceProcess process : List.of(sse, echo, signalingService, gateway)) {
      process.awaitStarted(START);
    }
    int port = gateway.awaitHttpPort(START);
    // A port picked free may be taken by another program before the process binds it: the
    // process then serves on the next free one, and says so.
    int[] managementPorts = {servedOn(sse, ssePort), servedOn(echo, echoPort),
        servedOn(signalingService, signalingPort), servedOn(gateway, gatewayPort)};
    for (int management : managementPorts) {
      assertEquals(200, Http.get(management, "/health").statusCode());
      Http.poll(management, "/ready", r -> r.statusCode() == 200, START);
      Scrape scrape = Scrape.of(management);
      assertEquals(4.0, scrape.value("switchboard_cluster_members"), "every process sees the cluster");
      assertTrue(scrape.text().contains("jvm_memory_used_bytes"), "JVM metrics");
    }

    int echoes = 137;
    int events = 7;
    try (TestSocket echoClient = TestSocket.connect(clients, port, "/ws/echo");
         TestSocket first = TestSocket.connect(clients, port, "/ws/topics");
         TestSocket second = TestSocket.connect(clients, port, "/ws/topics");
         TestSocket publisher = TestSocket.connect(clients, port, "/ws/topics");
         SseClient stream = SseClient.connect(clients, port, "/sse/metered")) {
      for (int i = 0; i < echoes; i++) {
        echoClient.send("m" + i);
      }
      for (int i = 0; i < echoes; i++) {
        assertEquals("Server received: m" + i, echoClient.nextText());
      }
      for (TestSocket subscriber : List.of(first, second)) {
        subscriber.nextOfType("welcome", Duration.ofSeconds(10));
        subscriber.send(new JsonObject().put("type", "subscribe").put("topic", "metered"));
        subscriber.nextOfType("subscribed", Duration.ofSeconds(10));
      }
      for (int i = 0; i < events - 1; i++) {
        assertEquals(202, Http.post(port, "/api/topics/metered/events", "application/json",
            new JsonObject().put("data", i).encode()).statusCode());
      }
      // The last event over WebSocket, then its retry with the same ref, which stores nothing.
      JsonObject last = new JsonObject().put("type", "publish").put("topic", "metered").put("data", events - 1)
          .put("ref", "metered-last");
      publisher.nextOfType("welcome", Duration.ofSeconds(10));
      publisher.send(last);
      String id = publisher.nextOfType("published", Duration.ofSeconds(10)).getString("id");
      publisher.send(last);
      assertEquals(id, publisher.nextOfType("published", Duration.ofSeconds(10)).getString("id"));
      for (TestSocket subscriber : List.of(first, second)) {
        for (int i = 0; i < events; i++) {
          assertEquals(i, subscriber.nextOfType("event", Duration.ofSeconds(10)).getInteger("data"));
        }
      }
      assertEquals(events, stream.next(events, Duration.ofSeconds(10)).size());

      // A resume from an id the topic never had: history-lost, reason unknown.
      publisher.send(new JsonObject().put("type", "subscribe").put("topic", "metered-lost")
          .put("since", "0a0a0a0a0a0a-3"));
      assertEquals("unknown", publisher.nextOfType("history-lost", Duration.ofSeconds(10)).getString("reason"));

      try (TestSocket signaling = TestSocket.connect(clients, port, "/ws/signaling");
           TestSocket roomMate = TestSocket.connect(clients, port, "/ws/signaling")) {
        signaling.nextOfType("welcome", Duration.ofSeconds(10));
        roomMate.nextOfType("welcome", Duration.ofSeconds(10));
        signaling.send(new JsonObject().put("type", "join").put("room", "metered-room"));
        signaling.nextOfType("joined", Duration.ofSeconds(10));
        roomMate.send(new JsonObject().put("type", "join").put("room", "metered-room"));
        String target = roomMate.nextOfType("joined", Duration.ofSeconds(10)).getString("id");
        assertEquals(target, signaling.nextOfType("peer-joined", Duration.ofSeconds(10)).getString("data"));
        for (int i = 0; i < 3; i++) {
          signaling.send(new JsonObject().put("type", "ice-candidate").put("target", target)
              .put("candidate", new JsonObject().put("n", i)));
          assertEquals(i, roomMate.nextOfType("ice-candidate", Duration.ofSeconds(10))
              .getJsonObject("candidate").getInteger("n"));
        }
        signaling.send("{\"type\":\"no-such-type\"}");
        assertEquals("unknown-type", signaling.nextOfType("error", Duration.ofSeconds(10)).getString("code"));
        signaling.send("not json");
        assertEquals("bad-json", signaling.nextOfType("error", Duration.ofSeconds(10)).getString("code"));
        signaling.send("[1]");
        assertEquals("bad-request", signaling.nextOfType("error", Duration.ofSeconds(10)).getString("code"));
        Scrape open = Scrape.of(gatewayPort);
        assertEquals(1, open.value("switchboard_connections{endpoint=\"echo\"}"));
        assertEquals(3, open.value("switchboard_connections{endpoint=\"topics\"}"));
        assertEquals(1, open.value("switchboard_connections{endpoint=\"sse\"}"));
        assertEquals(2, open.value("switchboard_connections{endpoint=\"signaling\"}"));
        assertEquals(1, open.value("switchboard_signaling_frames_total{type=\"other\"}"));
        assertEquals(2, open.value("switchboard_signaling_frames_total{type=\"invalid\"}"));
        assertEquals(0, open.value("switchboard_signaling_frames_total{type=\"sdp\"}"));
        assertEquals(3, open.value("switchboard_signaling_frames_total{type=\"ice-candidate\"}"));
        assertEquals(3, open.value("switchboard_signaling_relays_total"));
        assertEquals(1, sum(managementPorts, "switchboard_rooms"), "one room, held by one member");
        assertEquals(2, sum(managementPorts, "switchboard_topics"), "metered and the server's ticks");
      }
    }
    // Every connection closed: the gauges come down to zero.
    for (String endpoint : List.of("echo", "topics", "sse", "signaling")) {
      String sample = "switchboard_connections{endpoint=\"" + endpoint + "\"}";
      Poll.until(() -> Scrape.of(gatewayPort).value(sample) == 0, Duration.ofSeconds(10), sample + " back to 0");
    }

    Scrape gatewayMetrics = Scrape.of(gatewayPort);
    assertEquals(echoes, gatewayMetrics.value("switchboard_echo_messages_total"));
    assertEquals(2 * events, gatewayMetrics.value("switchboard_events_delivered_total{transport=\"websocket\"}"));
    assertEquals(events, gatewayMetrics.value("switchboard_events_delivered_total{transport=\"sse\"}"));
    assertEquals(events, gatewayMetrics.value("switchboard_events_published_total"));
    assertEquals(events + 1, gatewayMetrics.value("switchboard_publish_duration_seconds_count"),
        "every publish is timed, the retry too");
    assertEquals(events + 1, gatewayMetrics.value("switchboard_publish_duration_seconds_bucket{le=\"+Inf\"}"));
    assertEquals(1, gatewayMetrics.value("switchboard_errors_total{code=\"unknown-type\"}"));
    assertEquals(1, gatewayMetrics.value("switchboard_errors_total{code=\"bad-json\"}"));
    assertEquals(1, gatewayMetrics.value("switchboard_errors_total{code=\"bad-request\"}"));
    assertEquals(0, gatewayMetrics.value("switchboard_errors_total{code=\"forbidden\"}"));
    assertEquals(0, gatewayMetrics.value("switchboard_slow_consumer_disconnects_total{endpoint=\"sse\"}"));
    assertEquals(1, gatewayMetrics.value("switchboard_history_lost_total{reason=\"unknown\"}"));
    assertEquals(0, gatewayMetrics.value("switchboard_history_lost_total{reason=\"expired\"}"));
    assertEquals(2 * events, gatewayMetrics.value("switchboard_delivery_lag_seconds_count"),
        "each live event timed once over WebSocket and once over SSE");
    // Each client closed its own connection: WebSockets with 1000, the stream by going away.
    assertEquals(1, gatewayMetrics.value("switchboard_connections_closed_total{endpoint=\"echo\",reason=\"1000\"}"));
    assertEquals(3, gatewayMetrics.value("switchboard_connections_closed_total{endpoint=\"topics\",reason=\"1000\"}"));
    assertEquals(2, gatewayMetrics.value(
        "switchboard_connections_closed_total{endpoint=\"signaling\",reason=\"1000\"}"));
    assertEquals(1, gatewayMetrics.value("switchboard_connections_closed_total{endpoint=\"sse\",reason=\"client\"}"));
    assertEquals(0, Scrape.of(ssePort).value("switchboard_errors_total{code=\"bad-json\"}"),
        "every code's series exists in every process, from zero");
    assertTrue(gatewayMetrics.text().contains("vertx_http_server_requests_total"), "Vert.x's HTTP metrics");
    for (int management : managementPorts) {
      Scrape.of(management).lint();
    }
    for (String line : gatewayMetrics.text().split("\n")) {
      assertTrue(!line.contains("metered"), "no topic is ever a label: " + line);
    }
  }

  /** A gauge summed over the processes: each reports what its member holds. */
  private static double sum(int[] managementPorts, String sample) {
    double total = 0;
    for (int management : managementPorts) {
      total += Scrape.of(management).value(sample);
    }
    return total;
  }

  @Test
  void aTakenManagementPortMovesToTheNextFreeOneAndMetricsCanBeTurnedOff() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      ServiceProcess sse = launch("sse-moved", "sse-service", port, "METRICS_ENABLED", "false");
      sse.awaitStarted(START);
      // The next free port: port + 1, unless another process of the machine holds that one too.
      int moved = Integer.parseInt(sse.awaitOutput(Pattern.compile("Management port " + port
          + " is taken on 127\\.0\\.0\\.1; serving /metrics, /health and /ready on port (\\d+)"), START).group(1));
      assertTrue(moved > port && moved < port + 100, "moved to " + moved);
      assertEquals(200, Http.get(moved, "/health").statusCode());
      Http.poll(moved, "/ready", r -> r.statusCode() == 200, START);
      HttpResponse<String> metrics = Http.get(moved, "/metrics");
      assertEquals(404, metrics.statusCode(), metrics.body());
    }
  }

  /**
   * The management port a process serves on, as it says once it listens: {@code requested}, or
   * the next free one when that was taken.
   */
  private static int servedOn(ServiceProcess process, int requested) {
    int port = Integer.parseInt(process.awaitOutput(
        Pattern.compile("[Ss]erving /metrics, /health and /ready on (?:port |[^\\s]+:)(\\d+)"), START).group(1));
    assertTrue(port >= requested, "served on " + port + ", asked for " + requested);
    return port;
  }

  private final java.util.Set<Integer> picked = new java.util.HashSet<>();

  private int freePort() {
    // Two ports apart, so that no process finds its port taken by the next one's, and never one
    // picked already.
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
           ServerSocket next = new ServerSocket(socket.getLocalPort() + 1, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (picked.contains(port) || picked.contains(port + 1) || picked.contains(port - 1)) {
          continue;
        }
        picked.add(port);
        return port;
      } catch (IOException e) {
        // the next port was taken; try another
      }
    }
    throw new IllegalStateException("no two free ports in a row");
  }

  /** One scrape of a process's {@code /metrics}. */
  private record Scrape(String text) {

    static Scrape of(int port) {
      HttpResponse<String> response = Http.get(port, "/metrics");
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      return new Scrape(response.body());
    }

    /** Passes the scrape through {@code promtool check metrics}, Prometheus's own lint. */
    void lint() {
      try {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = promtool.getOutputStream()) {
          in.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, promtool.waitFor(), "promtool check metrics (installed by ./test.sh):\n" + output);
        assertEquals("", output.trim(), "promtool check metrics found problems");
      } catch (IOException e) {
        throw new AssertionError("promtool, from Debian's prometheus package (./test.sh installs it), did not run", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** The value of the sample named exactly {@code name}, labels included. */
    double value(String name) {
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
      }
      throw new AssertionError("no sample " + name + " in\n" + text);
    }
  }
}
