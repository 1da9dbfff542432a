package io.switchboard.gateway.auth;

import io.vertx.core.Future;

/**
 * RevocationStore shares the operators' revocations of users' tokens with every gateway node,
 * including those that start later, and keeps each for as long as it holds. The in-memory one
 * serves a gateway without a cluster; the cluster's keeps them in a Hazelcast map.
 */
public interface RevocationStore {

  /** Fills {@code local} with the revocations in force, and keeps it current; completes once filled. */
  Future<Void> start(Revocations local);

  /** Stores a revocation of {@code sub}'s tokens, for every node. */
  Future<Void> store(String sub, Revocations.Revocation revocation);

  /** Stops keeping the revocations current, without blocking the caller. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** A store for one node: the revocations go nowhere else. */
  static RevocationStore local() {
    return new RevocationStore() {
      @Override
      public Future<Void> start(Revocations local) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> store(String sub, Revocations.Revocation revocation) {
        return Future.succeededFuture();
      }
    };
  }
}
