package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * JournalMergePolicy decides which copy of a topic's history survives when two clusters that split
 * apart merge again: the one that went further.
 *
 * <p>A split of this kind is most often a member that was frozen (a long garbage collection, a
 * paused VM) and dropped: it wakes up alone with the history as it was when it stopped, while the
 * rest of the cluster went on storing and acknowledging events. Hazelcast's default keeps the copy
 * of whichever cluster the other merges into, and with one data member on each side that is
 * decided by their addresses, so the stale copy would win half the time: every event acknowledged
 * meanwhile would be lost and its id given to another. Both copies share their events up to the
 * split, so the one with more events of the same epoch holds everything the other does that was
 * acknowledged. Copies of different epochs (the topic expired and was created again on one side)
 * cannot be joined; the one active last wins.
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
    return keepsMerging(merging.getValue(), existing.getValue())
        ? merging.getRawValue() : existing.getRawValue();
  }

  /** Whether {@code merging} rather than {@code existing} is the copy to keep. */
  static boolean keepsMerging(TopicJournal merging, TopicJournal existing) {
    if (existing == null) {
      return merging != null;
    }
    if (merging == null) {
      return false;
    }
    if (merging.epoch().equals(existing.epoch())) {
      return merging.nextSequence() > existing.nextSequence();
    }
    return merging.lastActive() > existing.lastActive();
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
