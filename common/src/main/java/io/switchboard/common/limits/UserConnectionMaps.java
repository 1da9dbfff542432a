package io.switchboard.common.limits;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;

/**
 * UserConnectionMaps names and configures the Hazelcast map that counts each user's connections
 * across the cluster, for {@code LIMIT_CONNECTIONS_PER_USER}: user id to {@link NodeCounts}.
 *
 * <p>Its partitions live on the data members, whatever services they run, so the configuration is
 * applied on every member by the common bootstrap, and the entry processors that change it live in
 * common too.
 */
public final class UserConnectionMaps {

  /** User id to the user's open connections on each gateway node. */
  public static final String USERS = "switchboard.limits.users";

  private UserConnectionMaps() {
  }

  public static void configure(Config config) {
    // One synchronous backup: losing a data member neither forgets connections nor invents them.
    config.addMapConfig(new MapConfig(USERS).setBackupCount(1).setAsyncBackupCount(0));
  }
}
