package io.switchboard.common.cluster;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.RetryableException;

/**
 * TransientFailures recognises the failures of a cluster operation that say nothing about the
 * request, only about the cluster at that moment: a member left or is leaving, a partition moved,
 * an operation timed out on a frozen member. The caller answers them as unavailable, to be retried
 * (with the same idempotency key for a write), never as an internal error.
 */
public final class TransientFailures {

  private TransientFailures() {
  }

  /** Whether {@code failure}, or one of its causes, is transient. */
  public static boolean transientFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RetryableException || cause instanceof OperationTimeoutException
          || cause instanceof HazelcastInstanceNotActiveException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
