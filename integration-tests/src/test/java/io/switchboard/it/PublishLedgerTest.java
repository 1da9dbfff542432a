package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import io.switchboard.common.cluster.ClusterBootstrap;
import io.switchboard.common.cluster.ClusterConfig;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PublishLedgerTest keeps a ledger of acknowledged publishes while a member is killed with
 * {@code kill -9}, and proves that every acknowledged event is stored exactly once and delivered
 * exactly once, in order, to subscribers that resume by id. The publisher retries a 503, a 504 or
 * a lost connection with the same {@code Idempotency-Key}, as the SDK does.
 *
 * <p>Every test runs its own cluster of packaged jars: two sse-service members hold the data, two
 * gateways (lite members) serve the clients.
 */
class PublishLedgerTest {

  private static final Logger LOG = LoggerFactory.getLogger(PublishLedgerTest.class);
  private static final Duration START = Duration.ofSeconds(180);
  private static final int PUBLISHES = 1500;
  private static final int PER_SECOND = 150;
  private static final int KILL_AT = 500;
  private static final Pattern SELF = Pattern.compile("Member \\[[\\d.]+\\]:(\\d+) - \\S+ this");

  private final String clusterName = "sb-ledger-" + UUID.randomUUID().toString().substring(0, 8);
  private final String topic = "ledger-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Vertx clients;
  private ClusterNode observer;
  private ServiceProcess sseA;
  private ServiceProcess sseB;
  private ServiceProcess gatewayA;
  private ServiceProcess gatewayB;
  private int portA;
  private int portB;

  @BeforeEach
  void startCluster() {
    clients = Vertx.vertx();
    sseA = launch("ledger-sse-a", "sse-service");
    sseB = launch("ledger-sse-b", "sse-service");
    gatewayA = launch("ledger-gateway-a", "gateway-service");
    gatewayB = launch("ledger-gateway-b", "gateway-service");
    portA = gatewayA.awaitHttpPort(START);
    portB = gatewayB.awaitHttpPort(START);
    sseA.awaitStarted(START);
    sseB.awaitStarted(START);
    // A lite member in the test's own JVM sees which sse member owns the topic's history.
    observer = TestCluster.await(ClusterBootstrap.start(new ClusterConfig(clusterName, "127.0.0.1",
        ClusterConfig.DEFAULT_PORT, List.of("127.0.0.1"), 0, 1, 5, true), new VertxOptions()),
        START);
  }

  @AfterEach
  void stopCluster() {
    processes.forEach(ServiceProcess::close);
    if (observer != null) {
      TestCluster.await(observer.vertx().close());
    }
    TestCluster.await(clients.close());
  }

  private ServiceProcess launch(String name, String module) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", clusterName);
    env.put("HTTP_PORT", "0");
    // The whole run stays in history, by count and by bytes, so that every event can be checked there.
    env.put("SSE_HISTORY_SIZE", "5000");
    env.put("SSE_HISTORY_MAX_BYTES_PER_TOPIC", String.valueOf(8 << 20));
    env.put("SSE_REQUEST_TIMEOUT_MS", "3000");
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar(module, module), env);
    processes.add(process);
    return process;
  }

  /** The sse process that holds the primary copy of the topic's history. */
  private ServiceProcess historyOwner() {
    Member owner = observer.hazelcast().getPartitionService().getPartition(topic).getOwner();
    for (ServiceProcess sse : List.of(sseA, sseB)) {
      Matcher self = SELF.matcher(sse.output());
      if (self.find() && Integer.parseInt(self.group(1)) == owner.getAddress().getPort()) {
        return sse;
      }
    }
    throw new AssertionError("No sse process owns " + topic + " (owner " + owner + ")");
  }

  @Test
  void everyAcknowledgedEventIsStoredAndDeliveredOnceWhenTheHistorysSseMemberIsKilled()
      throws Exception {
    ServiceProcess victim = historyOwner();
    try (ResumingSubscriber onA = subscriber(List.of(portA, portB));
         ResumingSubscriber onB = subscriber(List.of(portB, portA))) {
      onA.awaitOpen(START);
      onB.awaitOpen(START);
      Map<String, String> acked = publishAll(List.of(portA, portB), victim);
      verify(acked, onA.awaitLast(Duration.ofSeconds(90)), "subscriber on gateway A");
      verify(acked, onB.awaitLast(Duration.ofSeconds(90)), "subscriber on gateway B");
      verifyHistory(acked, portA);
    }
  }

  @Test
  void everyAcknowledgedEventIsDeliveredOnceWhenTheSubscribersGatewayIsKilled() throws Exception {
    try (ResumingSubscriber first = subscriber(List.of(portA, portB));
         ResumingSubscriber second = subscriber(List.of(portA, portB))) {
      first.awaitOpen(START);
      second.awaitOpen(START);
      Map<String, String> acked = publishAll(List.of(portB), gatewayA);
      verify(acked, first.awaitLast(Duration.ofSeconds(90)), "first subscriber");
      verify(acked, second.awaitLast(Duration.ofSeconds(90)), "second subscriber");
      assertTrue(first.resumes() > 0 && second.resumes() > 0, "both resumed on gateway B");
      verifyHistory(acked, portB);
    }
  }

  private ResumingSubscriber subscriber(List<Integer> ports) {
    return new ResumingSubscriber(clients, ports, "/sse/" + topic,
        event -> event.data().contains("\"sentinel\""));
  }

  /**
   * Publishes {@link #PUBLISHES} events at {@link #PER_SECOND}, kills {@code victim} after
   * {@link #KILL_AT}, then a sentinel; returns idempotency key to acknowledged id, in order.
   */
  private Map<String, String> publishAll(List<Integer> ports, ServiceProcess victim) {
    Map<String, String> acked = new LinkedHashMap<>();
    long started = System.nanoTime();
    int retries = 0;
    for (int n = 0; n < PUBLISHES; n++) {
      if (n == KILL_AT) {
        LOG.info("kill -9 {}", victim);
        victim.kill();
      }
      String key = "ledger-" + n + "-" + UUID.randomUUID();
      JsonObject body = new JsonObject().put("data", new JsonObject().put("n", n).put("key", key));
      Publish result = publish(ports, n, key, body);
      retries += result.retries();
      if (result.id() != null) {
        acked.put(key, result.id());
      }
      long due = started + (long) (n + 1) * 1_000_000_000L / PER_SECOND;
      long ahead = due - System.nanoTime();
      if (ahead > 0) {
        ServiceProcess.pause(ahead / 1_000_000);
      }
    }
    LOG.info("{} of {} publishes acknowledged after {} retries", acked.size(), PUBLISHES, retries);
    String sentinel = "sentinel-" + UUID.randomUUID();
    Publish last = publish(ports, PUBLISHES, sentinel,
        new JsonObject().put("data", new JsonObject().put("sentinel", true)));
    assertTrue(last.id() != null, "the sentinel was acknowledged");
    assertTrue(acked.size() >= PUBLISHES - 50, "most publishes were acknowledged: " + acked.size());
    return acked;
  }

  private record Publish(String id, int retries) {
  }

  /** Posts until acknowledged, retrying what a client should retry with the same key. */
  private Publish publish(List<Integer> ports, int n, String key, JsonObject body) {
    for (int attempt = 0; attempt < 80; attempt++) {
      int port = ports.get((n + attempt) % ports.size());
      HttpRequest request = HttpRequest.newBuilder(Http.uri(port, "/api/topics/" + topic + "/events"))
          .header("Content-Type", "application/json")
          .header("Idempotency-Key", key)
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
          .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
          return new Publish(new JsonObject(response.body()).getString("id"), attempt);
        }
        if (response.statusCode() != 503 && response.statusCode() != 504) {
          throw new AssertionError("Publish " + n + " answered " + response.statusCode() + " "
              + response.body());
        }
      } catch (IOException lost) {
        // The gateway died or the reply was lost: the same key is safe to send again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      ServiceProcess.pause(250);
    }
    return new Publish(null, 80);
  }

  /** Each acknowledged event exactly once, with its id, in order; no id twice, no event twice. */
  private static void verify(Map<String, String> acked, List<SseClient.Event> events, String who) {
    LedgerCheck.delivered(acked, events, who);
    LOG.info("{}: {} events, every one of {} acknowledged delivered once", who, events.size(),
        acked.size());
  }

  /** The whole retained history holds every acknowledged event once, and no event twice. */
  private void verifyHistory(Map<String, String> acked, int port) {
    LedgerCheck.stored(acked, port, topic);
    LOG.info("History holds every one of the {} acknowledged events once", acked.size());
  }
}
