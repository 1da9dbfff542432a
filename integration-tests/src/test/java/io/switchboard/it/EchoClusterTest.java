package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.GatewayVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two gateway nodes and one echo node, each a separate clustered Vert.x over real Hazelcast. */
class EchoClusterTest {

  private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);

  private TestCluster cluster;
  private Vertx clients;

  @BeforeEach
  void start() {
    cluster = new TestCluster();
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    TestCluster.await(clients.close());
    cluster.close();
  }

  private GatewayVerticle startGateway() {
    ClusterNode node = cluster.startNode();
    GatewayVerticle gateway = new GatewayVerticle(
        TestConfigs.gateway(Map.of("ECHO_TIMEOUT_MS", String.valueOf(ECHO_TIMEOUT.toMillis()))),
        ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(gateway));
    return gateway;
  }

  private ClusterNode startEcho() {
    ClusterNode node = cluster.startNode();
    TestCluster.await(node.vertx().deployVerticle(new EchoVerticle(node.nodeId())));
    return node;
  }

  @Test
  void clientsOnTwoGatewaysGetRepliesFromTheEchoNodeAndRecoverWhenItReturns() {
    GatewayVerticle gatewayA = startGateway();
    GatewayVerticle gatewayB = startGateway();
    ClusterNode echo = startEcho();

    try (TestSocket a = TestSocket.connect(clients, gatewayA.actualPort(), "/ws/echo");
         TestSocket b = TestSocket.connect(clients, gatewayB.actualPort(), "/ws/echo")) {
      assertNotEquals(gatewayA.actualPort(), gatewayB.actualPort());
      for (int i = 0; i < 500; i++) {
        a.send("a" + i);
        b.send("b" + i);
      }
      for (int i = 0; i < 500; i++) {
        assertEquals("Server received: a" + i, a.nextText());
        assertEquals("Server received: b" + i, b.nextText());
      }

      cluster.stopNode(echo);
      a.send("after stop");
      JsonObject error = a.nextJson(ECHO_TIMEOUT.plusSeconds(5));
      assertEquals("error", error.getString("type"));
      assertEquals("service-unavailable", error.getString("code"));
      assertFalse(a.isClosed());

      startEcho();
      a.send("back again");
      b.send("back again");
      assertEquals("Server received: back again", a.nextText());
      assertEquals("Server received: back again", b.nextText());
    }
  }

  @Test
  void crashedEchoNodeGivesErrorFramesWithinTheTimeoutThenEchoResumes() {
    GatewayVerticle gateway = startGateway();
    ClusterNode echo = startEcho();
    try (TestSocket socket = TestSocket.connect(clients, gateway.actualPort(), "/ws/echo")) {
      socket.send("first");
      assertEquals("Server received: first", socket.nextText());

      cluster.crashNode(echo);
      socket.send("into the void");
      // Either a timeout (registration still known) or service-unavailable (already dropped).
      JsonObject error = socket.nextJson(ECHO_TIMEOUT.plusSeconds(5));
      assertEquals("error", error.getString("type"));
      assertFalse(socket.isClosed());

      startEcho();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String reply;
      do {
        socket.send("retry");
        reply = socket.nextText(ECHO_TIMEOUT.plusSeconds(5));
      } while (!reply.equals("Server received: retry") && System.nanoTime() < deadline);
      assertEquals("Server received: retry", reply);
    }
  }
}
