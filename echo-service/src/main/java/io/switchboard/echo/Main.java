package io.switchboard.echo;

import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;

/**
 * Starts an echo-service node: a Hazelcast lite member. Its event-bus subscriptions live on the
 * data members, so it needs one alive to be reached.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.runLite("echo-service", Env.system(),
        env -> node -> node.vertx().deployVerticle(new EchoVerticle(node.nodeId())), env -> null);
  }
}
