package io.switchboard.signaling;

import io.switchboard.common.cluster.DataQuorum;
import io.switchboard.common.log.LimitLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SweepLoop runs a sweep over every room one at a time, on the verticle's context: a request made
 * while a sweep runs is served by one more sweep right after it, however many came. A sweep refused
 * while the cluster has fewer data members than {@code CLUSTER_MIN_DATA_MEMBERS} is tried again
 * every few seconds until one passes: the member that restores the minimum may join before
 * Hazelcast counts it, so its arrival is no signal to sweep on.
 */
final class SweepLoop {

  private static final Logger LOG = LoggerFactory.getLogger(SweepLoop.class);
  private static final LimitLog REFUSALS = new LimitLog(LOG);
  /** Pause before a sweep refused for lack of data members is tried again. */
  static final long REFUSED_RETRY_MS = 2000;

  private final Context context;
  private final String what;
  private final String refusedKind;
  private final Supplier<Future<?>> sweep;
  private final BooleanSupplier running;
  private boolean stopped;
  private boolean sweeping;
  private boolean sweepAgain;
  private boolean retryPending;

  /**
   * @param what what the sweep does, for the logs ("evicting peers of lost nodes")
   * @param refusedKind the {@link LimitLog} kind of a sweep refused for lack of data members
   * @param sweep one sweep; it reports what it did itself
   * @param running false once the cluster member is shut down: no sweep is started then
   */
  SweepLoop(Context context, String what, String refusedKind, Supplier<Future<?>> sweep,
      BooleanSupplier running) {
    this.context = context;
    this.what = what;
    this.refusedKind = refusedKind;
    this.sweep = sweep;
    this.running = running;
  }

  /** Sweeps now, or once more after the sweep under way; completes when this request is handled. */
  Future<Void> request() {
    if (stopped || !running.getAsBoolean()) {
      return Future.succeededFuture();
    }
    if (sweeping) {
      sweepAgain = true;
      return Future.succeededFuture();
    }
    sweeping = true;
    return sweep.get()
        .onFailure(this::failed)
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture())
        .onComplete(done -> {
          sweeping = false;
          if (sweepAgain) {
            sweepAgain = false;
            request();
          }
        });
  }

  void stop() {
    stopped = true;
  }

  private void failed(Throwable err) {
    if (!DataQuorum.refused(err)) {
      LOG.warn("{} failed: {}", what, err.toString());
      return;
    }
    REFUSALS.hit(refusedKind, "Not {} yet: the cluster has fewer data members than"
        + " CLUSTER_MIN_DATA_MEMBERS; trying again every {} ms", what, REFUSED_RETRY_MS);
    if (!retryPending) {
      retryPending = true;
      context.owner().setTimer(REFUSED_RETRY_MS, id -> {
        retryPending = false;
        request();
      });
    }
  }
}
