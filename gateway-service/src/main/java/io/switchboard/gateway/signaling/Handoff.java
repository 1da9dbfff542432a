package io.switchboard.gateway.signaling;

import io.switchboard.gateway.transport.TurnBatch;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handoff carries work from one event loop to another in batches: what one loop hands over during a
 * turn crosses to the other as one task, at the end of that turn, and runs there in the order it was
 * handed over. Between the same two loops, a thread wake-up per turn replaces one per message.
 *
 * <p>One instance serves one direction between two contexts. {@link #run(Runnable)} is called on the
 * source loop only; when source and target share a thread, the work runs at once.
 */
final class Handoff {

  private static final Logger LOG = LoggerFactory.getLogger(Handoff.class);

  private final boolean sameThread;
  private final TurnBatch<List<Runnable>> turn;

  /** {@code sameThread}: the two contexts run on one event-loop thread. */
  Handoff(Context source, Context target, boolean sameThread) {
    this.sameThread = sameThread;
    // Flushed after what the source loop has queued already: the rest of this turn's work.
    this.turn = new TurnBatch<>(source, ArrayList::new,
        batch -> target.runOnContext(v -> runAll(batch)));
  }

  void run(Runnable work) {
    if (sameThread) {
      runAlone(work);
      return;
    }
    turn.batch().add(work);
    turn.flushAtEndOfTurn();
  }

  private static void runAll(List<Runnable> batch) {
    for (Runnable work : batch) {
      runAlone(work);
    }
  }

  /** One failing piece of work must not drop the others of its batch, or of its caller's loop. */
  private static void runAlone(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.error("Work handed over between event loops failed", e);
    }
  }
}
