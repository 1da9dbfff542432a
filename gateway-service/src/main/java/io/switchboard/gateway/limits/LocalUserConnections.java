package io.switchboard.gateway.limits;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LocalUserConnections counts users' connections on this node only: the counts of a gateway that
 * is the whole cluster, and of unit tests on a plain Vert.x.
 */
public final class LocalUserConnections implements UserConnections {

  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  @Override
  public Future<Boolean> acquire(String user, int limit) {
    boolean[] counted = new boolean[1];
    counts.compute(user, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= limit) {
        return count;
      }
      counted[0] = true;
      return now + 1;
    });
    return Future.succeededFuture(counted[0]);
  }

  @Override
  public void release(String user) {
    counts.computeIfPresent(user, (key, count) -> count <= 1 ? null : count - 1);
  }
}
