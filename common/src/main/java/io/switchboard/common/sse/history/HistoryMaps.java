package io.switchboard.common.sse.history;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.MaxSizePolicy;

/**
 * HistoryMaps names and configures the Hazelcast maps of the SSE topics: every topic's history,
 * topic name to {@link TopicJournal}, and the token buckets that limit topic creation, creator to
 * {@link CreationBucket}.
 *
 * <p>Any data member may own their partitions, whatever service it runs, so the configuration is
 * applied on every member by the common bootstrap. Values are kept as objects: appending an event
 * then changes the log in place instead of copying the whole history, and the backup replays the
 * same {@link AppendEvent} on its own copy.
 */
public final class HistoryMaps {

  /** Topic to {@link TopicJournal}. */
  public static final String HISTORY = "switchboard.sse.history";

  /** Creator (a client address or a user) to {@link CreationBucket}. */
  public static final String CREATIONS = "switchboard.sse.creations";

  /** Creation buckets one data member keeps at most; past it the least recently used go. */
  public static final int MAX_BUCKETS_PER_MEMBER = 50_000;

  private HistoryMaps() {
  }

  public static void configure(Config config) {
    // One synchronous backup: losing any one data member loses no acknowledged event. After a
    // split, the copy of a topic's history that went further survives the merge.
    config.addMapConfig(new MapConfig(HISTORY)
        .setInMemoryFormat(InMemoryFormat.OBJECT)
        .setBackupCount(1)
        .setAsyncBackupCount(0)
        .setMergePolicyConfig(new MergePolicyConfig(JournalMergePolicy.class.getName(),
            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
    // No backup: a bucket lost with its member is a full one, which only forgives a few creations.
    config.addMapConfig(new MapConfig(CREATIONS)
        .setInMemoryFormat(InMemoryFormat.OBJECT)
        .setBackupCount(0)
        .setAsyncBackupCount(0)
        .setEvictionConfig(new EvictionConfig()
            .setEvictionPolicy(EvictionPolicy.LRU)
            .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
            .setSize(MAX_BUCKETS_PER_MEMBER)));
  }
}
