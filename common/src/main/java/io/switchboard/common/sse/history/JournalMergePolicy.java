package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * JournalMergePolicy decides what becomes of a topic's history when two clusters that split apart
 * merge again, through {@link JournalMerge}: the copy that went further when the other is a prefix
 * of it, the copy begun anew when one side lost the topic, else both copies joined in a new epoch.
 *
 * <p>A split of the first kind is most often a member that was frozen (a long garbage collection, a
 * paused VM) and dropped: it wakes up alone with the history as it was when it stopped, while the
 * rest of the cluster went on storing and acknowledging events; or a side with too few data members
 * that refused writes ({@code CLUSTER_MIN_DATA_MEMBERS}). Hazelcast's default keeps the copy of
 * whichever cluster the other merges into, decided by addresses, so the stale copy would win half
 * the time. When both sides stored events (no quorum configured), neither copy holds everything
 * acknowledged, and both are kept.
 *
 * <p>Hazelcast runs the policy once per entry, on the member that owns it in the merged cluster, and
 * sends the result to the backup.
 */
public final class JournalMergePolicy
    implements SplitBrainMergePolicy<TopicJournal, MergingValue<TopicJournal>, Object> {

  public JournalMergePolicy() {
  }

  @Override
  public Object merge(MergingValue<TopicJournal> merging, MergingValue<TopicJournal> existing) {
    if (merging == null) {
      return existing == null ? null : existing.getRawValue();
    }
    if (existing == null) {
      return merging.getRawValue();
    }
    TopicJournal kept = existing.getValue();
    TopicJournal other = merging.getValue();
    if (kept == null || other == null) {
      return kept == null ? merging.getRawValue() : existing.getRawValue();
    }
    return JournalMerge.merge(kept, other);
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
