package io.switchboard.gateway.topic;

import java.util.concurrent.TimeUnit;

/**
 * QuietSync decides at each heartbeat whether a {@link FeedOrder} reads its topic's history: once
 * the topic has gone quiet, one read after the last event passed on, and one in every quiet period
 * of the {@link #RECHECK_NANOS} after {@link #recheck()}.
 *
 * <p>Used from one event loop only.
 */
final class QuietSync {

  /**
   * How long after members join every quiet period reads the history again, whatever was read
   * before: the merge of a split's two sides follows the join by a moment, longer on a busy
   * cluster, and may replace the history.
   */
  static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(60);

  private long positionAtLastTick = -1;
  private long positionAtLastSync = -1;
  /** Until when, in {@link System#nanoTime()}, quiet periods read the history again; 0 for none. */
  private long recheckUntil;

  /**
   * A heartbeat, with the order at {@code position}: true when the history after it should be read
   * now.
   */
  boolean due(long position) {
    boolean quiet = position == positionAtLastTick;
    positionAtLastTick = position;
    boolean rechecking = recheckUntil != 0 && System.nanoTime() - recheckUntil < 0;
    if (quiet && (position != positionAtLastSync || rechecking)) {
      positionAtLastSync = position;
      return true;
    }
    return false;
  }

  /** Every quiet period of the next {@link #RECHECK_NANOS} reads the history again. */
  void recheck() {
    recheckUntil = System.nanoTime() + RECHECK_NANOS;
  }
}
