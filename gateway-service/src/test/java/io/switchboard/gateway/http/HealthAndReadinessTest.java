package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ServiceRole;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.service.ServiceProbe;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
class HealthAndReadinessTest {

  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    client = WebClient.create(vertx);
  }

  private HttpResponse<Buffer> get(GatewayVerticle gateway, String path) {
    return TestCluster.awaitOn(vertx, () -> client.get(gateway.actualPort(), "127.0.0.1", path).send());
  }

  @Test
  void healthIsUpWithTheNodeId() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpResponse<Buffer> response = get(gateway, "/health");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("up", body.getString("status"));
    assertEquals("gateway-node", body.getString("node"));
  }

  @Test
  void healthFailsOnceTheNodesHazelcastMemberHasStopped() {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode node = cluster.startNode();
      GatewayVerticle gateway = GatewayTestSupport.deploy(node.vertx(), TestConfigs.gateway(),
          ClusterView.of(node));
      assertEquals(200, get(gateway, "/health").statusCode());

      node.hazelcast().getLifecycleService().terminate();
      HttpResponse<Buffer> response = get(gateway, "/health");
      assertEquals(503, response.statusCode(), response.bodyAsString());
      JsonObject body = response.bodyAsJsonObject();
      assertEquals("down", body.getString("status"));
      assertEquals("cluster-stopped", body.getString("reason"));
      assertEquals(node.nodeId(), body.getString("node"));
    }
  }

  @Test
  void readyWhenEveryBackendAnswersItsProbe() {
    for (ServiceRole role : ServiceRole.backends()) {
      TestCluster.await(ServiceProbe.register(vertx, role, role.id() + "-node"));
    }
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpResponse<Buffer> response = get(gateway, "/ready");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("ready", body.getString("status"));
    assertEquals(new JsonArray(), body.getJsonArray("missing"));
    assertEquals("sse-node", body.getJsonObject("services").getJsonObject("sse").getString("node"));
  }

  @Test
  void notReadyNamesEachMissingService() {
    TestCluster.await(ServiceProbe.register(vertx, ServiceRole.ECHO, "echo-node"));
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpResponse<Buffer> response = get(gateway, "/ready");
    assertEquals(503, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("not-ready", body.getString("status"));
    assertEquals(new JsonArray().add("sse").add("signaling"), body.getJsonArray("missing"));
    JsonObject sse = body.getJsonObject("services").getJsonObject("sse");
    assertEquals(false, sse.getBoolean("live"));
    assertEquals("service-unavailable", sse.getString("reason"));
  }

  @Test
  void notReadyWhenTheNodeHasLeftTheCluster() {
    for (ServiceRole role : ServiceRole.backends()) {
      TestCluster.await(ServiceProbe.register(vertx, role, "n"));
    }
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx, TestConfigs.gateway(),
        new FixedClusterView("gateway-node", "test", false, 0));
    HttpResponse<Buffer> response = get(gateway, "/ready");
    assertEquals(503, response.statusCode());
    assertTrue(response.bodyAsJsonObject().getJsonArray("missing").contains("cluster"));
  }

  @Test
  void notReadyWithFewerDataMembersThanTheMinimumForWrites() {
    for (ServiceRole role : ServiceRole.backends()) {
      TestCluster.await(ServiceProbe.register(vertx, role, "n"));
    }
    ClusterView belowMinimum = new ClusterView() {
      private final ClusterView joined = FixedClusterView.joinedNode();

      @Override
      public String nodeId() {
        return joined.nodeId();
      }

      @Override
      public String clusterName() {
        return joined.clusterName();
      }

      @Override
      public boolean joined() {
        return true;
      }

      @Override
      public int memberCount() {
        return 2;
      }

      @Override
      public int minDataMembers() {
        return 2;
      }
    };
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx, TestConfigs.gateway(), belowMinimum);
    HttpResponse<Buffer> response = get(gateway, "/ready");
    assertEquals(503, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(new JsonArray().add("data-members"), body.getJsonArray("missing"));
    assertEquals(1, body.getJsonObject("cluster").getInteger("dataMembers"));
    assertEquals(2, body.getJsonObject("cluster").getInteger("minDataMembers"));
  }

  @Test
  void probeThatNeverAnswersCountsAsMissingAfterTheTimeout() {
    vertx.eventBus().consumer(io.switchboard.common.Addresses.probe(ServiceRole.ECHO), message -> {
      // Registered but never answering, like a member killed and not yet dropped.
    });
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    JsonObject echo = get(gateway, "/ready").bodyAsJsonObject()
        .getJsonObject("services").getJsonObject("echo");
    assertEquals("timeout", echo.getString("reason"));
  }

  @Test
  void unknownPathAndWrongMethodGetJsonErrors() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpResponse<Buffer> missing = get(gateway, "/no/such/thing");
    assertEquals(404, missing.statusCode());
    assertEquals("not-found", missing.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> wrongMethod = TestCluster.awaitOn(vertx,
        () -> client.post(gateway.actualPort(), "127.0.0.1", "/health").send());
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("method-not-allowed", wrongMethod.bodyAsJsonObject().getString("code"));
  }

  /** A GET of an API path routed for other methods only is 405, not a missing static file's 404. */
  @Test
  void aGetOfAnApiPathThatAnswersOtherMethodsIs405AndOfNoApiPath404() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    for (String path : new String[] {"/api/topics/prices", "/api/users/alice/disconnect", "/api/rooms/r/kick"}) {
      HttpResponse<Buffer> answer = get(gateway, path);
      assertEquals(405, answer.statusCode(), path);
      assertEquals("method-not-allowed", answer.bodyAsJsonObject().getString("code"), path);
    }
    for (String path : new String[] {"/api/nothing", "/ws/nothing", "/sse/a/b"}) {
      HttpResponse<Buffer> answer = get(gateway, path);
      assertEquals(404, answer.statusCode(), path);
      assertEquals("not-found", answer.bodyAsJsonObject().getString("code"), path);
    }
    assertEquals(200, get(gateway, "/js/switchboard.js").statusCode());
    assertEquals(200, get(gateway, "/favicon.ico").statusCode());
  }

  @Test
  void anEmptyTopicInTheApiPathIs400BadTopic() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpResponse<Buffer> read = get(gateway, "/api/topics//events");
    assertEquals(400, read.statusCode());
    assertEquals("bad-topic", read.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> publish = TestCluster.awaitOn(vertx, () -> client
        .post(gateway.actualPort(), "127.0.0.1", "/api/topics//events")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"data\":1}")));
    assertEquals(400, publish.statusCode());
    assertEquals("bad-topic", publish.bodyAsJsonObject().getString("code"));
  }

  @Test
  void rootLinksTheEchoPage() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpResponse<Buffer> page = get(gateway, "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("href=\"/echo.html\""));
    assertTrue(page.bodyAsString().contains("/ws/echo"));
    HttpResponse<Buffer> echo = get(gateway, "/echo.html");
    assertEquals(200, echo.statusCode());
    assertTrue(echo.bodyAsString().contains("/ws/echo"));
  }
}
