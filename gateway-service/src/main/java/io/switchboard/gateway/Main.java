package io.switchboard.gateway;

import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;

/** Starts a gateway-service node. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("gateway-service", Env.system(), env -> {
      GatewayConfig config = GatewayConfig.from(env);
      return node -> node.vertx().deployVerticle(new GatewayVerticle(config, ClusterView.of(node)));
    });
  }
}
