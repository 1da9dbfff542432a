package io.switchboard.gateway.presence;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * TopicPresence is who is present on each topic subscribed over WebSocket, cluster-wide: the
 * presence directory. One serves all of a gateway node's event loops; futures complete on the
 * caller's context.
 */
public interface TopicPresence {

  /**
   * Makes the connection present on the topic; completes with everyone present, it included, when
   * {@code list} is true, else with an empty list.
   */
  Future<List<Present>> join(String topic, String connectionId, String user, boolean list);

  /** Removes the connection; completes with whether it was present, so its leave is told once. */
  Future<Boolean> leave(String topic, String connectionId);

  /**
   * Starts removing the connections of gateway nodes that leave the cluster; each one removed here
   * is passed to {@code swept} with its topic, from any thread.
   */
  default void start(BiConsumer<String, Present> swept) {
  }

  default void stop() {
  }
}
