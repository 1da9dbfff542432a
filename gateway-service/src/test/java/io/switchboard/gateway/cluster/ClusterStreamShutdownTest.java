package io.switchboard.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cluster view stream of a gateway that shuts down, as a dashboard reads it. */
class ClusterStreamShutdownTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aDashboardStreamEndsWithAReconnectEventAfterItsViewsWhenTheGatewayShutsDown() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    HttpClient client = vertx.createHttpClient();
    Promise<Buffer> body = Promise.promise();
    HttpClientResponse response = TestCluster.awaitOn(vertx, () -> client
        .request(HttpMethod.GET, gateway.actualPort(), "127.0.0.1", "/api/cluster/stream")
        .compose(HttpClientRequest::send)
        .onSuccess(stream -> stream.body().onComplete(body)));
    assertEquals(200, response.statusCode());

    // What the process's shutdown hook does: closing Vert.x undeploys the gateway.
    TestCluster.await(vertx.undeploy(gateway.deploymentID()));
    String text = TestCluster.await(body.future()).toString();
    assertTrue(text.matches("(?s): cluster view every \\d+ ms\n\nevent: cluster\ndata: \\{.*\\}\n\n"
        + "event: reconnect\nretry: \\d+\ndata: \\{\"reason\":\"shutdown\"}\n\n"), text);
  }
}
