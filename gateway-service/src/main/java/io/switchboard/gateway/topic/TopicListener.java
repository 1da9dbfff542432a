package io.switchboard.gateway.topic;

import io.switchboard.common.sse.StoredEvent;

/** TopicListener receives a topic's live events, in whatever order they reached this node. */
@FunctionalInterface
public interface TopicListener {

  void onEvent(StoredEvent event);
}
