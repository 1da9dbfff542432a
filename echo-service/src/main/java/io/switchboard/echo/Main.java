package io.switchboard.echo;

import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;

/** Starts an echo-service node. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("echo-service", Env.system(),
        env -> node -> node.vertx().deployVerticle(new EchoVerticle(node.nodeId())));
  }
}
