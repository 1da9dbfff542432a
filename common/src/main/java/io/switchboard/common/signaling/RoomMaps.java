package io.switchboard.common.signaling;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;

/**
 * RoomMaps names and configures the Hazelcast map that holds signaling rooms.
 *
 * <p>Every member owns some of its partitions, whatever services it runs, so the configuration is
 * applied on every member by the common bootstrap.
 */
public final class RoomMaps {

  /** Room name to {@link Room}. */
  public static final String ROOMS = "switchboard.signaling.rooms";

  private RoomMaps() {
  }

  public static void configure(Config config) {
    // One synchronous backup: losing any one member loses no room. After a split, the two copies
    // of a room are joined, for signaling-service to reconcile.
    config.addMapConfig(new MapConfig(ROOMS).setBackupCount(1).setAsyncBackupCount(0)
        .setMergePolicyConfig(new MergePolicyConfig(RoomMergePolicy.class.getName(),
            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
  }
}
