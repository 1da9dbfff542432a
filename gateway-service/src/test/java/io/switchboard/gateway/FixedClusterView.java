package io.switchboard.gateway;

import io.switchboard.gateway.node.ClusterView;
/** FixedClusterView is a ClusterView with set values, for tests on a plain Vert.x instance. */
public record FixedClusterView(String nodeId, String clusterName, boolean joined, int memberCount)
    implements ClusterView {

  public static FixedClusterView joinedNode() {
    return new FixedClusterView("gateway-node", "test", true, 1);
  }
}
