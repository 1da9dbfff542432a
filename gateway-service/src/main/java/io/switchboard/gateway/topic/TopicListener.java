package io.switchboard.gateway.topic;

import io.switchboard.common.sse.StoredEvent;

/** TopicListener receives a topic's live events, in whatever order they reached this node. */
@FunctionalInterface
public interface TopicListener {

  void onEvent(StoredEvent event);

  /**
   * Members joined the cluster, perhaps the other side of a split merging back: the topic's
   * history may have been joined with that side's, under a new epoch, without any live event
   * saying so. The listener checks its history again.
   */
  default void onMembersJoined() {
  }
}
