package io.switchboard.gateway;

import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;
import io.switchboard.gateway.signaling.SignalingConfig;

/** Starts a gateway-service node. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("gateway-service", Env.system(), env -> {
      GatewayConfig config = GatewayConfig.from(env);
      SignalingConfig signaling = SignalingConfig.from(env);
      return node -> node.vertx().deployVerticle(
          new GatewayVerticle(config, ClusterView.of(node), signaling));
    });
  }
}
