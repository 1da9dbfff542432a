package io.switchboard.common.topics;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * PresenceMergePolicy keeps everyone present on either side when two clusters that split apart
 * merge again: each side's subscribers are still connected. Those whose gateway did not survive are
 * removed by the next sweep ({@link SweepPresence}).
 */
public final class PresenceMergePolicy
    implements SplitBrainMergePolicy<PresenceSet, MergingValue<PresenceSet>, Object> {

  public PresenceMergePolicy() {
  }

  @Override
  public Object merge(MergingValue<PresenceSet> merging, MergingValue<PresenceSet> existing) {
    if (merging == null) {
      return existing == null ? null : existing.getRawValue();
    }
    if (existing == null) {
      return merging.getRawValue();
    }
    PresenceSet kept = existing.getValue();
    PresenceSet other = merging.getValue();
    if (kept == null || other == null) {
      return kept == null ? merging.getRawValue() : existing.getRawValue();
    }
    return kept.union(other);
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // Stateless.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // Stateless.
  }
}
