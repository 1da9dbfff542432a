package io.switchboard.gateway.sse;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * PublishCreator is who publishes, as far as creating topics goes: sse-service limits the topics
 * one creator may create per minute, unless the publisher is exempt (a backend with an API key).
 *
 * @param id an opaque name of the creator, such as a client address or a user; null when unknown,
 *     and then not limited
 * @param rateExempt true for a publisher never limited in the topics it creates
 */
public record PublishCreator(String id, boolean rateExempt) {

  /** The client's address as the connection shows it. */
  public static PublishCreator byAddress(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return new PublishCreator(remote == null ? null : remote.hostAddress(), false);
  }
}
