package io.switchboard.gateway.presence;

import io.vertx.core.Future;
import java.util.List;

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

  /** Everyone present on the topic, in the order they came. */
  Future<List<Present>> present(String topic);

  /**
   * Starts keeping the directory true as the cluster changes, and telling {@code changes} what it
   * did, from any thread.
   */
  default void start(Changes changes) {
  }

  default void stop() {
  }

  /** What the directory changed by itself. */
  interface Changes {

    /** A connection of a gateway node that left the cluster was removed. */
    void swept(String topic, Present present);

    /** A connection of this node was written again, after the cluster state that held it was lost. */
    void restored(String topic, Present present);

    /**
     * The directory may have lost connections of nodes that are gone, without sweeping them:
     * whoever was told of them should read it again.
     */
    void reread();
  }
}
