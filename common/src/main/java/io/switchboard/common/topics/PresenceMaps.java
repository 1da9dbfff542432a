package io.switchboard.common.topics;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;

/**
 * PresenceMaps names and configures the Hazelcast map of who is present on each topic subscribed
 * over WebSocket: topic to {@link PresenceSet}. Its partitions live on the data members, so the
 * configuration is applied on every member by the common bootstrap, and the entry processors that
 * change it live in common too.
 */
public final class PresenceMaps {

  /** Topic to the connections present on it. */
  public static final String PRESENCE = "switchboard.topics.presence";

  /**
   * The Hazelcast member attribute of a member whose build has topic presence: one that can load
   * its entry processors. A data member without it (a release before, in a rolling upgrade) would
   * fail on them, so nobody sends them while one is in the cluster.
   */
  public static final String MEMBER_ATTRIBUTE = "switchboard.topic-presence";

  private PresenceMaps() {
  }

  /** Whether every data member of the cluster can run the presence processors. */
  public static boolean everyDataMemberHasPresence(HazelcastInstance hazelcast) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.isLiteMember() && member.getAttribute(MEMBER_ATTRIBUTE) == null) {
        return false;
      }
    }
    return true;
  }

  public static void configure(Config config) {
    config.getMemberAttributeConfig().setAttribute(MEMBER_ATTRIBUTE, "1");
    // One synchronous backup: losing a data member forgets nobody. After a split, both sides'
    // connections stay present; those of gateways that are gone are swept.
    config.addMapConfig(new MapConfig(PRESENCE).setBackupCount(1).setAsyncBackupCount(0)
        .setMergePolicyConfig(new MergePolicyConfig(PresenceMergePolicy.class.getName(),
            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
  }
}
