package io.switchboard.common.service;

import io.switchboard.common.cluster.ClusterNode;
import io.vertx.core.Future;

/** Deployer deploys a service's verticles on a started cluster node. */
@FunctionalInterface
public interface Deployer {

  Future<?> deploy(ClusterNode node);
}
