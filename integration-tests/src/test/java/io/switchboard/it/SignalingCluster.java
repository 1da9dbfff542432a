package io.switchboard.it;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * SignalingCluster starts the nodes signaling tests need, each with only its own service, the way
 * they run in production: gateways, signaling instances and an echo node in one Hazelcast cluster.
 */
final class SignalingCluster implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  final TestCluster cluster = new TestCluster();
  final Vertx client = Vertx.vertx();
  private final Map<String, String> gatewayEnv;
  private final SignalingServiceConfig roomConfig;

  SignalingCluster(Map<String, String> gatewayEnv, SignalingServiceConfig roomConfig) {
    this.gatewayEnv = gatewayEnv;
    this.roomConfig = roomConfig;
  }

  ClusterNode startSignaling() {
    ClusterNode node = cluster.startNode();
    TestCluster.await(node.vertx().deployVerticle(new SignalingVerticle(node, roomConfig)));
    return node;
  }

  ClusterNode startEcho() {
    ClusterNode node = cluster.startNode();
    TestCluster.await(node.vertx().deployVerticle(new EchoVerticle(node.nodeId())));
    return node;
  }

  /** Starts a gateway node; returns its HTTP port. */
  Gateway startGateway() {
    ClusterNode node = cluster.startNode();
    GatewayVerticle verticle = new GatewayVerticle(TestConfigs.gateway(gatewayEnv), ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(verticle));
    return new Gateway(node, verticle.actualPort());
  }

  /** Opens a signaling connection and takes its welcome. */
  Peer connect(Gateway gateway) {
    return welcome(TestSocket.connect(client, gateway.port(), "/ws/signaling"));
  }

  /** Opens a signaling connection with {@code token} in the query, and takes its welcome. */
  Peer connect(Gateway gateway, String token) {
    return welcome(TestSocket.connect(client, gateway.port(), "/ws/signaling?token=" + token));
  }

  /** A peer whose socket buffers little, to play a client that stops reading. */
  Peer connectSlowReader(Gateway gateway) {
    return welcome(TestSocket.connectWithSmallReceiveBuffer(client, gateway.port(), "/ws/signaling"));
  }

  private static Peer welcome(TestSocket socket) {
    JsonObject welcome = socket.nextOfType("welcome", WAIT);
    return new Peer(socket, welcome.getString("id"), welcome);
  }

  @Override
  public void close() {
    cluster.close();
    TestCluster.await(client.close());
  }

  /** A gateway node and the port it serves on. */
  record Gateway(ClusterNode node, int port) {
  }

  /** A connected client with the peer id it was given. */
  record Peer(TestSocket socket, String id, JsonObject welcome) implements AutoCloseable {

    void send(JsonObject message) {
      socket.send(message);
    }

    JsonObject next(String type) {
      return socket.nextOfType(type, WAIT);
    }

    /** Joins and returns the {@code joined} frame. */
    JsonObject join(String room) {
      socket.send(new JsonObject().put("type", "join").put("room", room));
      return next("joined");
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
