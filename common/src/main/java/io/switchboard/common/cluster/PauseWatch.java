package io.switchboard.common.cluster;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PauseWatch notices that this whole process stood still for longer than the cluster waits before
 * it drops a silent member ({@code CLUSTER_MAX_NO_HEARTBEAT_SECONDS}): a long garbage collection,
 * a paused VM or container, a {@code SIGSTOP}. Such a member wakes up dropped, with a stale copy of
 * the cluster's state and requests it was sent before it stopped.
 *
 * <p>A thread of its own wakes every {@link #POLL_MS} and compares the time that passed, on the
 * monotonic clock, with the time it slept; the difference is a pause of the whole process, give or
 * take a poll. It also notes how many members the cluster had before each sleep: when the process
 * wakes up, Hazelcast soon shrinks the member list to this member alone, and what matters is whether
 * others were there to drop it.
 */
public final class PauseWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PauseWatch.class);
  static final long POLL_MS = 100;

  private final Duration threshold;
  private final IntSupplier members;
  private final BiConsumer<Duration, Integer> onPause;
  private final Thread thread;
  private volatile boolean closed;

  private PauseWatch(Duration threshold, IntSupplier members, BiConsumer<Duration, Integer> onPause) {
    this.threshold = threshold;
    this.members = members;
    this.onPause = onPause;
    this.thread = new Thread(this::watch, "switchboard-pause-watch");
    thread.setDaemon(true);
  }

  /**
   * Starts watching: {@code onPause} gets each pause longer than {@code threshold} and how many
   * members the cluster had before it ({@code members} counts them now), on the watch's thread.
   */
  public static PauseWatch start(Duration threshold, IntSupplier members,
      BiConsumer<Duration, Integer> onPause) {
    PauseWatch watch = new PauseWatch(threshold, members, onPause);
    watch.thread.start();
    return watch;
  }

  private void watch() {
    long before = System.nanoTime();
    int membersBefore = count();
    while (!closed) {
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      Duration stood = Duration.ofNanos(now - before).minusMillis(POLL_MS);
      if (stood.compareTo(threshold) > 0 && !closed) {
        onPause.accept(stood, membersBefore);
        now = System.nanoTime();
      }
      before = now;
      membersBefore = count();
    }
  }

  private int count() {
    try {
      return members.getAsInt();
    } catch (RuntimeException e) {
      // The member is stopping; a pause now has nothing left to harm.
      LOG.debug("Could not count the cluster's members: {}", e.toString());
      return 0;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
