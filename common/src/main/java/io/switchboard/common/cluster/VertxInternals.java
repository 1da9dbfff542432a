package io.switchboard.common.cluster;

import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * VertxInternals is the one place the cluster code reaches past vertx-hazelcast's public API.
 *
 * <p>{@code HazelcastClusterManager} republishes a node's own subscriptions and node info only
 * after a member is removed, from a private method. A lite member whose cluster lost every data
 * member needs the same once a data member is back, so it calls that method with no removed
 * member. {@code VertxInternalsTest} fails when an upgrade of vertx-hazelcast removes it.
 */
final class VertxInternals {

  private static final String MEMBERS_REMOVED = "membersRemoved";

  private VertxInternals() {
  }

  /** The private method, or an error naming what changed. */
  static Method membersRemoved() {
    try {
      Method method = HazelcastClusterManager.class.getDeclaredMethod(MEMBERS_REMOVED, Set.class);
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("vertx-hazelcast no longer has HazelcastClusterManager."
          + MEMBERS_REMOVED + "(Set): lite members cannot republish their subscriptions", e);
    }
  }

  /** Publishes the node's own subscriptions and node info again; blocking. */
  static void republishOwnState(HazelcastClusterManager manager) {
    try {
      membersRemoved().invoke(manager, Set.of());
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("Could not republish this node's subscriptions", e);
    }
  }
}
