package io.switchboard.it;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.sse.SseVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;

/** SseNodes starts gateway and sse-service members of a test cluster, as their Main classes do. */
final class SseNodes {

  /** A gateway member and the port its HTTP server listens on. */
  record Gateway(ClusterNode node, GatewayVerticle verticle, int port) {
  }

  /** An sse-service member. */
  record Service(ClusterNode node, SseVerticle verticle) {
  }

  private SseNodes() {
  }

  /** A gateway member with the defaults. */
  static Gateway gateway(TestCluster cluster) {
    return gateway(cluster, Map.of());
  }

  /** A gateway member with {@code variables} set over the defaults. */
  static Gateway gateway(TestCluster cluster, Map<String, String> variables) {
    return gateway(cluster.startNode(), variables);
  }

  /** A gateway on a lite member, as deployed gateways are: it holds no cluster state. */
  static Gateway liteGateway(TestCluster cluster) {
    return liteGateway(cluster, Map.of());
  }

  /** A gateway on a lite member with {@code variables} set over the defaults. */
  static Gateway liteGateway(TestCluster cluster, Map<String, String> variables) {
    return gateway(cluster.startLiteNode(), variables);
  }

  private static Gateway gateway(ClusterNode node, Map<String, String> variables) {
    GatewayVerticle verticle = new GatewayVerticle(TestConfigs.gateway(variables), ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(verticle));
    return new Gateway(node, verticle, verticle.actualPort());
  }

  static Service service(TestCluster cluster, SseServiceConfig config) {
    ClusterNode node = cluster.startNode();
    SseVerticle verticle = new SseVerticle(node.nodeId(), node.hazelcast(), config);
    TestCluster.await(node.vertx().deployVerticle(verticle));
    return new Service(node, verticle);
  }

  /** Publishes through a gateway with {@code web}, a client of {@code vertx}, and returns the response. */
  static HttpResponse<Buffer> publish(Vertx vertx, WebClient web, int port, String topic, JsonObject body) {
    return TestCluster.awaitOn(vertx, () -> web.post(port, "127.0.0.1", "/api/topics/" + topic + "/events")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()));
  }

  /** Publishes and returns the new event's id, failing unless the gateway answers 202. */
  static String publishData(Vertx vertx, WebClient web, int port, String topic, Object data) {
    HttpResponse<Buffer> response = publish(vertx, web, port, topic, new JsonObject().put("data", data));
    if (response.statusCode() != 202) {
      throw new AssertionError("Publish failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("id");
  }

  static WebClient web(Vertx vertx) {
    return WebClient.create(vertx);
  }
}
