package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the packaged fat jars as real processes configured only by environment variables, the way
 * a deployment runs them. This proves the packaging, not only the classes.
 */
class PackagedJarsTest {

  private static final Logger LOG = LoggerFactory.getLogger(PackagedJarsTest.class);
  private static final Duration START = Duration.ofSeconds(180);

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final String clusterName = "sb-jar-" + UUID.randomUUID().toString().substring(0, 8);
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

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", clusterName);
    env.put("HTTP_PORT", "0");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private ServiceProcess launch(String name, String module, String jar, Map<String, String> env) {
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar(module, jar), env);
    processes.add(process);
    return process;
  }

  private ServiceProcess launchService(String service) {
    return launch(service, service + "-service", service + "-service", env());
  }

  @Test
  void fiveProcessesFormAClusterThatEchoesInOrderAndReadinessFollowsTheEchoService() {
    ServiceProcess echo = launchService("echo");
    ServiceProcess sse = launchService("sse");
    ServiceProcess signaling = launchService("signaling");
    ServiceProcess gatewayA = launch("gateway-a", "gateway-service", "gateway-service",
        env("ECHO_TIMEOUT_MS", "10000"));
    ServiceProcess gatewayB = launch("gateway-b", "gateway-service", "gateway-service",
        env("ECHO_TIMEOUT_MS", "10000"));
    for (ServiceProcess process : List.of(echo, sse, signaling, gatewayA, gatewayB)) {
      process.awaitStarted(START);
    }
    int portA = gatewayA.awaitHttpPort(START);
    int portB = gatewayB.awaitHttpPort(START);

    for (int port : new int[] {portA, portB}) {
      HttpResponse<String> ready = Http.poll(port, "/ready", r -> r.statusCode() == 200, START);
      assertEquals(5, Http.json(ready).getJsonObject("cluster").getInteger("members"));
      assertEquals(200, Http.get(port, "/health").statusCode());
    }

    try (TestSocket a = TestSocket.connect(clients, portA, "/ws/echo");
         TestSocket b = TestSocket.connect(clients, portB, "/ws/echo")) {
      int count = 10_000;
      for (int i = 0; i < count; i++) {
        a.send("a-" + i);
        b.send("b-" + i);
      }
      for (int i = 0; i < count; i++) {
        assertEquals("Server received: a-" + i, a.nextText());
        assertEquals("Server received: b-" + i, b.nextText());
      }

      // kill -9: the cluster must drop the member within 10 s.
      long killedAt = System.nanoTime();
      echo.kill();
      HttpResponse<String> notReady = Http.poll(portA, "/ready",
          r -> Http.json(r).getJsonObject("cluster").getInteger("members") == 4,
          Duration.ofSeconds(10));
      long droppedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertEquals(503, notReady.statusCode());
      assertTrue(Http.json(notReady).getJsonArray("missing").contains("echo"), notReady.body());
      // The dead member's event-bus registrations are cleaned up right after it is dropped: the
      // probe then fails at once with service-unavailable instead of waiting for a timeout.
      Http.poll(portA, "/ready", r -> "service-unavailable".equals(Http.json(r)
          .getJsonObject("services").getJsonObject("echo").getString("reason")),
          Duration.ofSeconds(15));
      LOG.info("Killed echo member dropped from the cluster after {} ms", droppedAfterMs);
      a.send("nobody home");
      JsonObject error = a.nextJson(Duration.ofSeconds(30));
      assertEquals("error", error.getString("type"));
      assertFalse(a.isClosed());

      ServiceProcess echoAgain = launch("echo-again", "echo-service", "echo-service", env());
      echoAgain.awaitStarted(START);
      Http.poll(portA, "/ready", r -> r.statusCode() == 200, START);
      Http.poll(portB, "/ready", r -> r.statusCode() == 200, START);
      a.send("welcome back");
      assertEquals("Server received: welcome back", a.nextText());
      b.send("welcome back");
      assertEquals("Server received: welcome back", b.nextText());

      signaling.terminate(Duration.ofSeconds(30));
      HttpResponse<String> noSignaling = Http.poll(portB, "/ready", r -> r.statusCode() == 503,
          Duration.ofSeconds(20));
      assertTrue(Http.json(noSignaling).getJsonArray("missing").contains("signaling"));

      // SIGTERM: WebSockets are closed with 1001 and the process leaves the cluster cleanly.
      gatewayB.terminate(Duration.ofSeconds(30));
      assertEquals((short) 1001, b.awaitClose(Duration.ofSeconds(5)));
      assertTrue(gatewayB.output().contains("Stopping gateway-service"), gatewayB.output());
      HttpResponse<String> afterLeave = Http.poll(portA, "/ready",
          r -> Http.json(r).getJsonObject("cluster").getInteger("members") == 3,
          Duration.ofSeconds(20));
      assertEquals(3, Http.json(afterLeave).getJsonObject("cluster").getInteger("members"));
    }
  }

  @Test
  void liteGatewayStartedBeforeAnyDataMemberWaitsAndBecomesReadyOnceOneJoins() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    ServiceProcess gateway = launch("gateway-first", "gateway-service", "gateway-service",
        env("HTTP_PORT", String.valueOf(port), "HTTP_HOST", "127.0.0.1"));
    ServiceProcess echo = launchService("echo");
    HttpResponse<String> waiting = Http.poll(port, "/ready", r -> r.statusCode() == 503, START);
    assertTrue(Http.json(waiting).getJsonArray("missing").contains("data-members"), waiting.body());
    // The bodies of a serving gateway, as they stand while no data member is there.
    JsonObject notReady = Http.json(waiting);
    assertEquals("not-ready", notReady.getString("status"));
    assertFalse(notReady.getString("node", "").isEmpty(), waiting.body());
    assertEquals(0, notReady.getJsonObject("cluster").getInteger("dataMembers"), waiting.body());
    assertEquals(1, notReady.getJsonObject("cluster").getInteger("minDataMembers"), waiting.body());
    for (String role : List.of("echo", "sse", "signaling")) {
      assertEquals(Boolean.FALSE, notReady.getJsonObject("services").getJsonObject(role).getBoolean("live"), waiting.body());
    }
    HttpResponse<String> health = Http.get(port, "/health");
    assertEquals(200, health.statusCode());
    assertEquals("gateway", Http.json(health).getString("service"), health.body());
    assertEquals(notReady.getString("node"), Http.json(health).getString("node"), health.body());
    assertEquals("data-members", Http.json(health).getString("waiting"), health.body());
    // Anything else is refused in the error shape, with the code a client retries on.
    HttpResponse<String> api = Http.get(port, "/api/topics/news/events");
    assertEquals(503, api.statusCode());
    assertEquals("service-unavailable", Http.json(api).getString("code"), api.body());
    gateway.awaitOutput(Pattern.compile("waits for one before it serves"), START);
    assertTrue(gateway.isAlive() && echo.isAlive(), "lite members wait rather than exit");

    launchService("sse");
    launchService("signaling");
    gateway.awaitStarted(START);
    HttpResponse<String> ready = Http.poll(port, "/ready", r -> r.statusCode() == 200, START);
    assertEquals(2, Http.json(ready).getJsonObject("cluster").getInteger("dataMembers"));
    assertEquals(4, Http.json(ready).getJsonObject("cluster").getInteger("members"));
  }

  @Test
  void standaloneJarServesEverythingFromOneProcess() {
    ServiceProcess standalone = launch("standalone", "standalone", "switchboard", env());
    Pattern ready = Pattern.compile("Switchboard is ready on http://localhost:(\\d+)");
    int port = Integer.parseInt(standalone.awaitOutput(ready, START).group(1));
    HttpResponse<String> response = Http.get(port, "/ready");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, Http.json(response).getJsonObject("cluster").getInteger("members"));
    try (TestSocket socket = TestSocket.connect(clients, port, "/ws/echo")) {
      socket.send("embedded");
      assertEquals("Server received: embedded", socket.nextText());
    }
    assertTrue(Http.get(port, "/").body().contains("/ws/echo"));
    assertTrue(standalone.output().contains("WARN") && standalone.output().contains(
        "AUTH_MODE=open: every client may do everything"), "open mode is announced: " + standalone.output());
  }

  @Test
  void gatewayWithASmallHeapStaysUpUnderAFloodOfLargePublishes() {
    ServiceProcess sse = launchService("sse");
    ServiceProcess gateway = ServiceProcess.start("gateway-small-heap",
        ServiceProcess.jar("gateway-service", "gateway-service"), env(),
        List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"));
    processes.add(gateway);
    sse.awaitStarted(START);
    gateway.awaitStarted(START);
    int port = gateway.awaitHttpPort(START);

    Map<Integer, Integer> statuses = PublishFlood.run(port, 1500, 400, 60_000, 5);
    LOG.info("Publish flood of 1500 events of 60 KB answered {}", statuses);
    assertTrue(gateway.isAlive(), "the gateway survived the flood:\n" + gateway.output());
    assertEquals(200, Http.get(port, "/health").statusCode());
    // Refused for load: 503 past the publish budget, 504 when sse-service is slower, no answer
    // (-1) when the gateway's header timeout closes a connection it could not read in time.
    assertTrue(List.of(202, 503, 504, -1).containsAll(statuses.keySet()),
        "every publish was stored or refused for load, none failed otherwise: " + statuses);
    // Once the flood is over, a publish is stored again.
    Poll.until(() -> Http.post(port, "/api/topics/flood-0/events", "application/json",
        "{\"data\":\"after the flood\"}").statusCode() == 202, Duration.ofSeconds(60), "a publish stored");
  }

  @Test
  void invalidVariableStopsTheProcessNamingTheVariable() {
    Path jar = ServiceProcess.jar("gateway-service", "gateway-service");
    ServiceProcess bad = ServiceProcess.start("bad-config", jar, env("HTTP_PORT", "eighty"));
    processes.add(bad);
    assertEquals(2, bad.waitFor(Duration.ofSeconds(30)));
    assertTrue(bad.output().contains("HTTP_PORT: expected an integer from 0 to 65535, got 'eighty'"),
        bad.output());
  }

  @Test
  void jwtModeWithoutAKeyStopsTheGatewayAndTheStandaloneNamingTheVariables() {
    for (String module : List.of("gateway-service", "standalone")) {
      Path jar = ServiceProcess.jar(module, module.equals("standalone") ? "switchboard" : module);
      ServiceProcess bad = ServiceProcess.start("no-key-" + module, jar, env("AUTH_MODE", "jwt"));
      processes.add(bad);
      assertEquals(2, bad.waitFor(Duration.ofSeconds(30)), module);
      assertTrue(bad.output().contains("AUTH_MODE=jwt needs AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL"),
          bad.output());
    }
  }
}
