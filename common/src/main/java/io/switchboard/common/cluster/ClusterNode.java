package io.switchboard.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.switchboard.common.metrics.ProcessMetrics;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * ClusterNode is one clustered Vert.x instance with its Hazelcast member.
 *
 * <p>Services that keep cluster state (rooms, topic history) use {@link #hazelcast()} for data
 * structures that Vert.x shared data does not offer, such as ring buffers and entry processors.
 * Its {@link #metrics()} hold Vert.x's and the JVM's metrics and the domain metrics services add.
 */
public record ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager, ClusterConfig config,
    ProcessMetrics metrics) {

  /** The Hazelcast member attribute where Vert.x's cluster manager keeps the Vert.x node id. */
  public static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  /** The Vert.x node id of this member, stable for its lifetime. */
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }
}
