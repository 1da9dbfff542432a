package io.switchboard.gateway.node;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * ClusterStatsConfig is how often the gateway publishes its statistics and pushes the cluster view
 * to dashboards, when a silent node is dropped from that view, and how many topics and rooms the
 * view lists at most.
 *
 * @param interval publish and push period ({@code CLUSTER_STATS_INTERVAL_MS})
 * @param staleAfter a node not heard from for this long leaves the view ({@code CLUSTER_STATS_STALE_MS})
 * @param maxTopics the busiest topics listed, in each gateway's snapshot and in the view
 *     ({@code CLUSTER_VIEW_MAX_TOPICS})
 * @param maxRooms the busiest rooms listed, likewise ({@code CLUSTER_VIEW_MAX_ROOMS})
 */
public record ClusterStatsConfig(Duration interval, Duration staleAfter, int maxTopics, int maxRooms) {

  /** Topics and rooms listed by default. */
  public static final int DEFAULT_MAX_LISTED = 100;

  public static ClusterStatsConfig from(Env env) {
    Duration interval = env.millis("CLUSTER_STATS_INTERVAL_MS", 1000, 100, 60_000);
    Duration stale = env.millis("CLUSTER_STATS_STALE_MS", 5000, 200, 600_000);
    if (stale.compareTo(interval) <= 0) {
      throw new ConfigException("CLUSTER_STATS_STALE_MS",
          "a value greater than CLUSTER_STATS_INTERVAL_MS (" + interval.toMillis() + ")",
          String.valueOf(stale.toMillis()));
    }
    return new ClusterStatsConfig(interval, stale,
        env.integer("CLUSTER_VIEW_MAX_TOPICS", DEFAULT_MAX_LISTED, 0, 10_000),
        env.integer("CLUSTER_VIEW_MAX_ROOMS", DEFAULT_MAX_LISTED, 0, 10_000));
  }
}
