package io.switchboard.common.sse.history;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;

/**
 * HistoryMaps names and configures the Hazelcast map that holds every topic's history: topic name
 * to {@link TopicLog}.
 *
 * <p>Any data member may own its partitions, whatever service it runs, so the configuration is
 * applied on every member by the common bootstrap. Values are kept as objects: appending an event
 * then changes the log in place instead of copying the whole history, and the backup replays the
 * same {@link AppendEvent} on its own copy.
 */
public final class HistoryMaps {

  /** Topic to {@link TopicLog}. */
  public static final String HISTORY = "switchboard.sse.history";

  private HistoryMaps() {
  }

  public static void configure(Config config) {
    // One synchronous backup: losing any one data member loses no acknowledged event.
    config.addMapConfig(new MapConfig(HISTORY)
        .setInMemoryFormat(InMemoryFormat.OBJECT)
        .setBackupCount(1)
        .setAsyncBackupCount(0));
  }
}
