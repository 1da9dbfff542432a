package io.switchboard.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;

/**
 * DataQuorum keeps a side of a split cluster from accepting writes that a merge would throw away:
 * with {@code CLUSTER_MIN_DATA_MEMBERS} above 1, writes to the maps it protects are refused while
 * the side sees fewer data members than that.
 *
 * <p>It is Hazelcast's split-brain protection on {@link SplitBrainProtectionOn#WRITE}, checked by
 * the member that owns a key's partition before it runs the operation, so a refused write changed
 * nothing. Hazelcast's member count is of data members only (it is given the members of
 * {@code MemberSelectors.DATA_MEMBER_SELECTOR}): gateways and echo services, lite members, never
 * make up the minimum. NoQuorumClusterTest fails should an upgrade count them.
 *
 * <p>Reads that Hazelcast runs as read-only operations ({@code get}, {@code entrySet}) are never
 * refused. An entry processor is a write to Hazelcast even when it changes nothing, so a reader
 * that uses one falls back on a plain read when it is refused.
 */
public final class DataQuorum {

  /** The name of the protection the protected maps refer to. */
  public static final String NAME = "switchboard.data-quorum";
  /** The highest {@code CLUSTER_MIN_DATA_MEMBERS} accepted. */
  public static final int MAX_MIN_DATA_MEMBERS = 1000;

  private DataQuorum() {
  }

  /**
   * Makes writes to {@code maps} need {@code minDataMembers} data members; 1 leaves the maps as
   * they are. Applied on every member, since any data member may own the maps' partitions.
   */
  public static void protect(Config hz, int minDataMembers, String... maps) {
    if (minDataMembers <= 1) {
      return;
    }
    hz.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(NAME, true, minDataMembers)
        .setProtectOn(SplitBrainProtectionOn.WRITE));
    for (String map : maps) {
      hz.getMapConfig(map).setSplitBrainProtectionName(NAME);
    }
  }

  /** Whether {@code failure}, or one of its causes, is a write refused for lack of data members. */
  public static boolean refused(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SplitBrainProtectionException) {
        return true;
      }
    }
    return false;
  }
}
