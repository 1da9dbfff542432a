package io.switchboard.gateway.topic;

import io.vertx.core.Future;

/**
 * TopicSubscriber is what a {@link TopicFeed} delivers to: one client's subscription to a topic,
 * whatever its transport.
 */
public interface TopicSubscriber<E extends TopicEvent> {

  /** A live event, in order; the feed keeps its reference, a subscriber that holds it retains it. */
  void offer(E event);

  /** The topic's history was deleted: the client is told so, and the subscription goes on. */
  default void historyDeleted() {
  }

  /** Ends the subscription gracefully: the client resumes by itself. */
  Future<Void> end();

  /** Ends the subscription at once, for a subscriber that failed under a delivery. */
  void drop();
}
