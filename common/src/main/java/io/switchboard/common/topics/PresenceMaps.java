package io.switchboard.common.topics;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;

/**
 * PresenceMaps names and configures the Hazelcast map of who is present on each topic subscribed
 * over WebSocket: topic to {@link PresenceSet}. Its partitions live on the data members, so the
 * configuration is applied on every member by the common bootstrap, and the entry processors that
 * change it live in common too.
 */
public final class PresenceMaps {

  /** Topic to the connections present on it. */
  public static final String PRESENCE = "switchboard.topics.presence";

  private PresenceMaps() {
  }

  public static void configure(Config config) {
    // One synchronous backup: losing a data member forgets nobody. After a split, both sides'
    // connections stay present; those of gateways that are gone are swept.
    config.addMapConfig(new MapConfig(PRESENCE).setBackupCount(1).setAsyncBackupCount(0)
        .setMergePolicyConfig(new MergePolicyConfig(PresenceMergePolicy.class.getName(),
            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
  }
}
