package io.switchboard.gateway.limits;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.HazelcastFutures;
import io.switchboard.common.limits.AcquireUserConnection;
import io.switchboard.common.limits.ForgetLostNodes;
import io.switchboard.common.limits.NodeCounts;
import io.switchboard.common.limits.ReleaseUserConnection;
import io.switchboard.common.limits.UserConnectionMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HazelcastUserConnections keeps each user's connections in the cluster map
 * {@link UserConnectionMaps#USERS}, per gateway node, on the data members. A connection is counted
 * by an entry processor that refuses it over the limit, atomically on the member that owns the
 * user, so the limit holds when one user connects to several gateways at once.
 *
 * <p>When a member leaves or dies, this node drops the counts of every node no longer in the
 * cluster, as every other gateway does: a killed gateway's connections stop counting as soon as
 * the cluster drops it. It does so once at start too, for a gateway killed while alone.
 */
public final class HazelcastUserConnections implements UserConnections {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastUserConnections.class);

  private final ClusterNode node;
  private final Vertx vertx;
  private UUID membership;

  public HazelcastUserConnections(ClusterNode node) {
    this.node = node;
    this.vertx = node.vertx();
  }

  private IMap<String, NodeCounts> users() {
    return node.hazelcast().getMap(UserConnectionMaps.USERS);
  }

  @Override
  public Future<Boolean> acquire(String user, int limit) {
    return HazelcastFutures.call(() -> users().submitToKey(user, new AcquireUserConnection(node.nodeId(), limit)),
        vertx.getOrCreateContext());
  }

  @Override
  public void release(String user) {
    users().submitToKey(user, new ReleaseUserConnection(node.nodeId())).whenCompleteAsync((v, err) -> {
      if (err != null) {
        LOG.warn("A closed connection of a user is still counted: {}", err.toString());
      }
    }, HazelcastFutures.IN_PLACE);
  }

  @Override
  public void start() {
    membership = node.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        forgetLostNodes();
      }
    });
    forgetLostNodes();
  }

  /** Off the cluster's event thread: the processor visits every user. */
  private void forgetLostNodes() {
    vertx.executeBlocking(() -> {
      users().executeOnEntries(new ForgetLostNodes(new HashSet<>(node.clusterManager().getNodes())));
      return null;
    }, false).onFailure(err -> LOG.warn("Could not drop the user connections of lost gateways: {}",
        err.toString()));
  }

  @Override
  public void stop() {
    if (membership != null && node.hazelcast().getLifecycleService().isRunning()) {
      node.hazelcast().getCluster().removeMembershipListener(membership);
    }
  }
}
