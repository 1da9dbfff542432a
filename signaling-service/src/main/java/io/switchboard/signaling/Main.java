package io.switchboard.signaling;

import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;

/** Starts a signaling-service node. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("signaling-service", Env.system(), env -> {
      SignalingServiceConfig config = SignalingServiceConfig.from(env);
      return node -> node.vertx().deployVerticle(new SignalingVerticle(node, config));
    });
  }
}
