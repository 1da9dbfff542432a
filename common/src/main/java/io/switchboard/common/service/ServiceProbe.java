package io.switchboard.common.service;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * ServiceProbe answers the gateway's readiness probes for one service role on this node.
 *
 * <p>A probe is a plain event-bus request: {@code NO_HANDLERS} means no instance of the role is
 * registered anywhere in the cluster, a timeout means the instances that are registered do not answer.
 */
public final class ServiceProbe {

  private ServiceProbe() {
  }

  /** Registers the probe consumer; the future completes once the registration is cluster-wide. */
  public static Future<MessageConsumer<Object>> register(Vertx vertx, ServiceRole role, String nodeId) {
    JsonObject identity = new JsonObject().put("role", role.id()).put("node", nodeId);
    MessageConsumer<Object> consumer = vertx.eventBus()
        .consumer(Addresses.probe(role), message -> message.reply(identity));
    return consumer.completion().map(consumer);
  }
}
