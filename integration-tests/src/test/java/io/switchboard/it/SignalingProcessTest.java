package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signaling across real {@code java -jar} processes: one signaling-service and two gateway-service
 * processes, and a gateway killed with SIGKILL.
 */
class SignalingProcessTest {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Vertx client = Vertx.vertx();
  private final Map<String, String> env = clusterEnv();

  @AfterEach
  void stopProcesses() {
    processes.forEach(ServiceProcess::close);
    client.close();
  }

  @Test
  void relaysBetweenGatewayProcessesAndReportsPeersOfAKilledOneLeftWithinTenSeconds() {
    start("signaling-proc-signaling", "signaling-service").awaitStarted(START);
    ServiceProcess gatewayA = start("signaling-proc-gateway-a", "gateway-service");
    ServiceProcess gatewayB = start("signaling-proc-gateway-b", "gateway-service");
    int portA = gatewayA.awaitHttpPort(START);
    int portB = gatewayB.awaitHttpPort(START);

    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestSocket a = TestSocket.connect(client, portA, "/ws/signaling");
         TestSocket b = TestSocket.connect(client, portB, "/ws/signaling")) {
      String idA = a.nextOfType("welcome", WAIT).getString("id");
      String idB = b.nextOfType("welcome", WAIT).getString("id");
      a.send(new JsonObject().put("type", "join").put("room", room));
      a.nextOfType("joined", WAIT);
      b.send(new JsonObject().put("type", "join").put("room", room));
      assertEquals(idA, b.nextOfType("joined", WAIT).getJsonArray("peers").getString(0));
      assertEquals(idB, a.nextOfType("peer-joined", WAIT).getString("data"));

      offerAndAnswer(a, idA, b, idB);

      long killedAt = System.nanoTime();
      gatewayB.kill();
      JsonObject left = a.nextOfType("peer-left", Duration.ofSeconds(10));
      assertEquals(new JsonObject().put("type", "peer-left").put("room", room).put("data", idB), left);
      assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10));
    }
  }

  @Test
  void peersOfAGatewayFrozenPastFailureDetectionAreBackInTheirRoomAfterItThaws() {
    start("signaling-thaw-signaling", "signaling-service").awaitStarted(START);
    ServiceProcess gatewayA = start("signaling-thaw-gateway-a", "gateway-service");
    ServiceProcess gatewayB = start("signaling-thaw-gateway-b", "gateway-service");
    int portA = gatewayA.awaitHttpPort(START);
    int portB = gatewayB.awaitHttpPort(START);

    String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestSocket a = TestSocket.connect(client, portA, "/ws/signaling");
         TestSocket b = TestSocket.connect(client, portB, "/ws/signaling")) {
      String idA = a.nextOfType("welcome", WAIT).getString("id");
      String idB = b.nextOfType("welcome", WAIT).getString("id");
      a.send(new JsonObject().put("type", "join").put("room", room));
      a.nextOfType("joined", WAIT);
      b.send(new JsonObject().put("type", "join").put("room", room));
      b.nextOfType("joined", WAIT);
      assertEquals(idB, a.nextOfType("peer-joined", WAIT).getString("data"));

      // Frozen past failure detection, gateway B is taken for dead and b evicted from the room.
      gatewayB.freeze();
      try {
        assertEquals(idB, a.nextOfType("peer-left", Duration.ofSeconds(15)).getString("data"));
        Poll.until(() -> roomPeers(portA, room).equals(List.of(idA)), Duration.ofSeconds(15),
            "b evicted from " + room);
      } finally {
        gatewayB.thaw();
      }

      // B is found in the cluster again and told: b joins its room again, still connected.
      assertEquals(new JsonObject().put("type", "peer-joined").put("room", room).put("data", idB),
          a.nextOfType("peer-joined", Duration.ofSeconds(90)));
      assertEquals(List.of(idA, idB), roomPeers(portA, room));
      offerAndAnswer(b, idB, a, idA);
    }
  }

  /** {@code caller} sends {@code callee} an offer, and gets its answer: each arrives as sent. */
  private static void offerAndAnswer(TestSocket caller, String callerId, TestSocket callee, String calleeId) {
    JsonObject offer = new JsonObject().put("type", "sdp").put("target", calleeId)
        .put("sdp", new JsonObject().put("type", "offer").put("sdp", "v=0\r\n"));
    caller.send(offer);
    assertEquals(offer.copy().put("from", callerId), callee.nextOfType("sdp", WAIT));
    JsonObject answer = new JsonObject().put("type", "sdp").put("target", callerId)
        .put("sdp", new JsonObject().put("type", "answer").put("sdp", "v=0\r\n"));
    callee.send(answer);
    assertEquals(answer.copy().put("from", calleeId), caller.nextOfType("sdp", WAIT));
  }

  /** The peers of {@code room} as {@code GET /api/rooms/{room}} lists them. */
  private List<String> roomPeers(int port, String room) {
    JsonObject body = Http.json(Http.get(port, "/api/rooms/" + room));
    List<String> peers = new ArrayList<>();
    body.getJsonArray("peers", new io.vertx.core.json.JsonArray()).forEach(peer -> peers.add(peer.toString()));
    return peers;
  }

  private ServiceProcess start(String name, String module) {
    ServiceProcess process = ServiceProcess.start(name, ServiceProcess.jar(module, module), env);
    processes.add(process);
    return process;
  }

  /** A cluster of its own: a random name, and Hazelcast ports from a free one on, seeded there. */
  private static Map<String, String> clusterEnv() {
    int base = 65535;
    // Members take the ports after the base: leave room for them below 65535.
    while (base > 65000) {
      try (ServerSocket probe = new ServerSocket(0)) {
        base = probe.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", "sb-proc-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(base));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + base);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", "0");
    return env;
  }
}
