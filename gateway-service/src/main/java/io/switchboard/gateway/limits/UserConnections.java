package io.switchboard.gateway.limits;

import io.vertx.core.Future;

/**
 * UserConnections counts each user's open connections across the cluster, for
 * {@code LIMIT_CONNECTIONS_PER_USER}. Each gateway node has one; the counts of a node that leaves
 * the cluster, killed or not, stop counting once the cluster drops it.
 */
public interface UserConnections {

  /**
   * Counts one more connection of {@code user} on this node unless the user already holds
   * {@code limit} connections across the cluster; true when it was counted. Completes on the
   * caller's context.
   */
  Future<Boolean> acquire(String user, int limit);

  /** Stops counting one connection of {@code user} on this node. */
  void release(String user);

  /** Starts forgetting the counts of nodes that leave the cluster; call once. */
  default void start() {
  }

  default void stop() {
  }
}
