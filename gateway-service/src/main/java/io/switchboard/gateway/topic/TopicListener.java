package io.switchboard.gateway.topic;

import io.switchboard.common.sse.StoredEvent;

/** TopicListener receives a topic's live events, in whatever order they reached this node. */
@FunctionalInterface
public interface TopicListener {

  /**
   * A live event, stored at {@code storedNanos} on this JVM's {@link System#nanoTime()} clock, or
   * {@link DeliveryLag#UNKNOWN}.
   */
  void onEvent(StoredEvent event, long storedNanos);

  /** An operator deleted the topic's history of {@code epoch}. */
  default void onDeleted(String epoch) {
  }

  /**
   * Members joined the cluster, perhaps the other side of a split merging back: the topic's
   * history may have been joined with that side's, under a new epoch, without any live event
   * saying so. The listener checks its history again.
   */
  default void onMembersJoined() {
  }
}
