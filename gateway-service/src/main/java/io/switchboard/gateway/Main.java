package io.switchboard.gateway;

import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.common.cluster.ClusterConfig;
import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;
import io.switchboard.common.service.WaitingPage;

/**
 * Starts a gateway-service node: a Hazelcast lite member, since gateways come and go with load and
 * must not carry cluster state.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.runLite("gateway-service", Env.system(), env -> {
      GatewayConfig config = GatewayConfig.from(env);
      return node -> node.vertx().deployVerticle(new GatewayVerticle(config, ClusterView.of(node)));
    }, env -> {
      GatewayConfig config = GatewayConfig.from(env);
      return new WaitingPage("gateway", config.httpHost(), config.httpPort(),
          ClusterConfig.from(env).minDataMembers());
    });
  }
}
