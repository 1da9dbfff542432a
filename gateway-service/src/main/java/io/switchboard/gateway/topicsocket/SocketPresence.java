package io.switchboard.gateway.topicsocket;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LogFields;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.presence.TopicPresence;
import io.vertx.core.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SocketPresence makes one {@code /ws/topics} connection present on the topics it subscribes to,
 * in the node's {@link TopicPresence}, and tells every gateway's subscribers with presence when it
 * joins and leaves each. Every subscriber is present; those that ask for presence are also told
 * who else is. Used from the connection's event loop only.
 */
final class SocketPresence {

  private static final Logger LOG = LoggerFactory.getLogger(SocketPresence.class);

  private final TopicPresence presence;
  private final TopicSocketHub hub;
  private final TopicSocket out;
  private final SocketAccess access;
  private final String connectionId;

  SocketPresence(TopicPresence presence, TopicSocketHub hub, TopicSocket out, SocketAccess access,
      String connectionId) {
    this.presence = presence;
    this.hub = hub;
    this.out = out;
    this.access = access;
    this.connectionId = connectionId;
  }

  /**
   * Makes the connection present on the subscription's topic, and tells the others once the
   * subscription opens. Fails, having told the client and let {@code forget} end the subscription,
   * when a subscriber that asked for presence cannot have it; a subscriber that did not ask goes on
   * without being listed.
   */
  Future<Void> join(SocketSubscription subscription, boolean wantsPresence, Consumer<SocketSubscription> forget) {
    String topic = subscription.topic();
    return presence.join(topic, connectionId, access.user(), wantsPresence).transform(ar -> {
      if (subscription.unsubscribed()) {
        // Gone while joining: its leave may have come first.
        leave(topic);
        return Future.failedFuture("unsubscribed");
      }
      if (ar.failed()) {
        LOG.atWarn().addKeyValue(LogFields.TOPIC, topic).addKeyValue(LogFields.CONNECTION, connectionId)
            .log("Could not make a connection present on topic {}: {}", topic, ar.cause().toString());
        if (wantsPresence) {
          forget.accept(subscription);
          out.send(TopicFrames.error(ErrorCode.SERVICE_UNAVAILABLE,
              "The topic's presence cannot be read now; subscribe again later", topic, null));
          return Future.failedFuture(ar.cause());
        }
        return Future.succeededFuture();
      }
      subscription.whenOpened(() -> hub.publishPresence(PresenceEvents.join(topic, connectionId, access.user())));
      if (wantsPresence) {
        subscription.presence(connectionId, ar.result());
      }
      return Future.succeededFuture();
    });
  }

  /** Removes the connection from the topic's presence, and tells the others if it was there. */
  void leave(String topic) {
    presence.leave(topic, connectionId).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        hub.publishPresence(PresenceEvents.leave(topic, connectionId, access.user()));
      } else if (ar.failed()) {
        LOG.atWarn().addKeyValue(LogFields.TOPIC, topic).addKeyValue(LogFields.CONNECTION, connectionId)
            .log("A closed connection may still be listed present on topic {}: {}", topic, ar.cause().toString());
      }
    });
  }
}
