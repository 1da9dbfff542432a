package io.switchboard.common.stats;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceRole;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * StatsPublisher publishes one service's statistics on one node to every gateway, so the gateways
 * can show the whole cluster: {@code {"node":..., "role":..., "stats":{...}}} on
 * {@link Addresses#CLUSTER_STATS}.
 *
 * <p>Publishing needs no consumer on the sending side and costs no cluster-state write: it is one
 * small message per service per interval.
 */
public final class StatsPublisher {

  /** How often services publish unless configured otherwise. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final long timerId;

  private StatsPublisher(Vertx vertx, long timerId) {
    this.vertx = vertx;
    this.timerId = timerId;
  }

  /**
   * Starts publishing every {@code interval}; {@code stats} is called on the caller's context and
   * must not block.
   */
  public static StatsPublisher start(Vertx vertx, ServiceRole role, String nodeId, Duration interval,
      Supplier<JsonObject> stats) {
    long timer = vertx.setPeriodic(0, Math.max(1, interval.toMillis()), id -> {
      JsonObject snapshot = new JsonObject()
          .put("node", nodeId)
          .put("role", role.id())
          .put("stats", stats.get());
      vertx.eventBus().publish(Addresses.CLUSTER_STATS, snapshot);
    });
    return new StatsPublisher(vertx, timer);
  }

  public static StatsPublisher start(Vertx vertx, ServiceRole role, String nodeId,
      Supplier<JsonObject> stats) {
    return start(vertx, role, nodeId, DEFAULT_INTERVAL, stats);
  }

  public void stop() {
    vertx.cancelTimer(timerId);
  }
}
