package io.switchboard.common.topics;

import com.hazelcast.config.Config;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.MapConfig;
import com.hazelcast.query.QueryConstants;

/**
 * PresenceMaps names and configures the Hazelcast map of who is present on the topics subscribed
 * over WebSocket: one entry per connection and topic, keyed as {@link PresenceKeys} says, so that a
 * join or a leave writes one small entry however many are present.
 *
 * <p>Keys and values are strings, and every query uses Hazelcast's own predicates: a member of any
 * release can hold the map's partitions and answer for them. A sorted index on the key serves the
 * range query that lists a topic's connections. After a split, each side's entries merge by key,
 * so everyone present on either side stays present; those of gateways that are gone are swept.
 */
public final class PresenceMaps {

  /** {@code topic|node|connection} to {@code at|user}. */
  public static final String PRESENCE = "switchboard.topics.presence";

  private PresenceMaps() {
  }

  public static void configure(Config config) {
    // One synchronous backup: losing a data member forgets nobody.
    config.addMapConfig(new MapConfig(PRESENCE).setBackupCount(1).setAsyncBackupCount(0)
        .addIndexConfig(new IndexConfig(IndexType.SORTED, QueryConstants.KEY_ATTRIBUTE_NAME.value())));
  }
}
