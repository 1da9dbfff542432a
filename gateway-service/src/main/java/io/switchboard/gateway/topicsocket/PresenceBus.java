package io.switchboard.gateway.topicsocket;

import io.switchboard.common.Addresses;
import io.switchboard.gateway.presence.Present;
import io.switchboard.gateway.presence.TopicPresence;
import io.vertx.core.Vertx;

/**
 * PresenceBus tells what the presence directory changed by itself: the leaves of swept
 * connections and the joins of restored ones to every gateway's subscribers, and a reading again
 * of presence to every gateway.
 */
public final class PresenceBus implements TopicPresence.Changes {

  private final Vertx vertx;

  public PresenceBus(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void swept(String topic, Present present) {
    vertx.eventBus().publish(Addresses.TOPIC_PRESENCE, PresenceEvents.leave(topic, present.id(), present.user()));
  }

  @Override
  public void restored(String topic, Present present) {
    vertx.eventBus().publish(Addresses.TOPIC_PRESENCE, PresenceEvents.join(topic, present.id(), present.user()));
  }

  @Override
  public void reread() {
    vertx.eventBus().publish(Addresses.TOPIC_PRESENCE_REREAD, null);
  }
}
