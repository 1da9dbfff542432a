package io.switchboard.common.service;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StartAttempts deploys a service on a member that just joined, and gives a deployment whose cluster
 * calls do not complete a bounded time ({@code START_ATTEMPT_TIMEOUT_SECONDS}) before the member is
 * dropped and the process joins again as a new one, up to {@code START_ATTEMPTS} times.
 *
 * <p>A service's deployment calls the cluster: it creates maps and their indexes, and Vert.x reads
 * the event bus's subscriptions. Hazelcast sends each call to the owner of a partition, as the
 * master's partition table names it, and retries a call whose owner is gone for two minutes. A
 * member that joined while the master's table still named a departed member waits out those
 * retries; a new member gets the master's table anew, and whatever the first one waited on no
 * longer holds it back. A failure that is not the cluster's (a port that is taken, a bad setting)
 * is final at once.
 *
 * @param <N> the member: {@link io.switchboard.common.cluster.ClusterNode} in a service
 */
final class StartAttempts<N> {

  /** Thrown when no attempt deployed the service; its cause is the last attempt's failure. */
  static final class StartFailed extends Exception {
    StartFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(StartAttempts.class);

  private final String service;
  private final int attempts;
  private final Duration timeout;
  private final Supplier<N> join;
  private final Function<N, Future<?>> deploy;
  private final Consumer<N> drop;

  /**
   * @param join joins the cluster as a new member (may block)
   * @param deploy deploys the service on a member
   * @param drop leaves the cluster at once, without handing anything over, and closes the member
   */
  StartAttempts(String service, int attempts, Duration timeout, Supplier<N> join,
      Function<N, Future<?>> deploy, Consumer<N> drop) {
    this.service = service;
    this.attempts = attempts;
    this.timeout = timeout;
    this.join = join;
    this.deploy = deploy;
    this.drop = drop;
  }

  /** Joins and deploys; returns the member the service runs on. Blocks: never on an event loop. */
  N start() throws StartFailed {
    for (int attempt = 1; ; attempt++) {
      N member = join.get();
      Throwable failure = deployWithin(member);
      if (failure == null) {
        return member;
      }
      if (!isClusterFailure(failure) || attempt >= attempts) {
        drop.accept(member);
        throw new StartFailed("Could not start " + service + " (attempt " + attempt + " of " + attempts
            + "): " + failure, failure);
      }
      LOG.warn("{} did not start within {} s (attempt {} of {}): {}. The cluster calls of its start did"
          + " not complete; leaving and joining again as a new member", service, timeout.toSeconds(),
          attempt, attempts, failure.toString());
      drop.accept(member);
    }
  }

  /** The deployment's failure, a {@link TimeoutException} when it took too long, or null. */
  private Throwable deployWithin(N member) {
    try {
      deploy.apply(member).toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (Exception e) {
      return e;
    }
  }

  /** Whether a new member may succeed where this one failed: a timeout, or a Hazelcast failure. */
  static boolean isClusterFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException || t.getClass().getName().startsWith("com.hazelcast.")) {
        return true;
      }
    }
    return false;
  }
}
