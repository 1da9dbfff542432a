package io.switchboard.sse;

import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;

/** Starts a sse-service node. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("sse-service", Env.system(), env -> {
      SseServiceConfig config = SseServiceConfig.from(env);
      return node -> node.vertx().deployVerticle(
          new SseVerticle(node.nodeId(), node.hazelcast(), config));
    });
  }
}
