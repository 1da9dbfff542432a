package io.switchboard.gateway;

import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;

/** GatewayTestSupport deploys a gateway on an ephemeral loopback port. */
public final class GatewayTestSupport {

  private GatewayTestSupport() {
  }

  public static GatewayVerticle deploy(Vertx vertx, GatewayConfig config, ClusterView cluster) {
    GatewayVerticle gateway = new GatewayVerticle(config, cluster);
    TestCluster.await(vertx.deployVerticle(gateway));
    return gateway;
  }

  public static GatewayVerticle deploy(Vertx vertx) {
    return deploy(vertx, TestConfigs.gateway(), FixedClusterView.joinedNode());
  }
}
