package io.switchboard.signaling;

import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * SignalingServiceConfig holds signaling-service's own settings, read once from the environment.
 *
 * @param roomCapacity the most peers a room holds; one more gets {@code room-full}
 *     ({@code SIGNALING_ROOM_CAPACITY})
 * @param mergeSettle time after a merge of split clusters before the peers of gateways still
 *     missing are evicted from the merged rooms ({@code SIGNALING_MERGE_SETTLE_MS})
 * @param reconcileDelivery how long a reconciled room is offered to a gateway node that is not
 *     found or does not answer, right after a merge ({@code SIGNALING_RECONCILE_DELIVERY_MS})
 * @param evictionNotice how long the eviction of a lost gateway node's peers is kept, to be told
 *     to the node should it be found in the cluster again ({@code SIGNALING_EVICTION_NOTICE_MS})
 */
public record SignalingServiceConfig(int roomCapacity, Duration mergeSettle, Duration reconcileDelivery,
    Duration evictionNotice) {

  public static final int DEFAULT_ROOM_CAPACITY = 16;
  public static final long DEFAULT_MERGE_SETTLE_MS = 15_000;
  public static final long DEFAULT_RECONCILE_DELIVERY_MS = 30_000;
  public static final long DEFAULT_EVICTION_NOTICE_MS = 600_000;

  /** The given capacity and the default timings. */
  public SignalingServiceConfig(int roomCapacity) {
    this(roomCapacity, Duration.ofMillis(DEFAULT_MERGE_SETTLE_MS), Duration.ofMillis(DEFAULT_RECONCILE_DELIVERY_MS),
        Duration.ofMillis(DEFAULT_EVICTION_NOTICE_MS));
  }

  public static SignalingServiceConfig from(Env env) {
    return new SignalingServiceConfig(
        env.integer("SIGNALING_ROOM_CAPACITY", DEFAULT_ROOM_CAPACITY, 1, 10_000),
        env.millis("SIGNALING_MERGE_SETTLE_MS", DEFAULT_MERGE_SETTLE_MS, 1000, 600_000),
        env.millis("SIGNALING_RECONCILE_DELIVERY_MS", DEFAULT_RECONCILE_DELIVERY_MS, 1000, 600_000),
        env.millis("SIGNALING_EVICTION_NOTICE_MS", DEFAULT_EVICTION_NOTICE_MS, 1000, 86_400_000));
  }

}
