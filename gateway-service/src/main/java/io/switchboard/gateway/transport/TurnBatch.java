package io.switchboard.gateway.transport;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * TurnBatch gathers what its owner adds during one event-loop turn into one batch, and flushes the
 * batch once, at the end of the turn: one event-bus message or one cross-thread task per turn
 * instead of one per item.
 *
 * <p>The first add of a turn schedules the flush with {@link Context#runOnContext}, so it runs
 * after the tasks the loop has queued already: the rest of this turn's reads and callbacks, from
 * every connection on the loop. An owner with a size limit flushes a full batch at once instead;
 * what is added after that starts a new batch, which the flush already scheduled takes. A flush
 * takes its batch away before handing it on, so anything added while it runs goes to the next
 * batch. An empty turn flushes nothing. Used from the context's event loop only.
 *
 * <p>Use: add to {@code batch()}, then call {@code flushAtEndOfTurn()}, or {@code flushNow()} when
 * the batch is full.
 *
 * @param <B> the batch: a list, or whatever its owner gathers items into
 */
public final class TurnBatch<B> {

  private final Context context;
  private final Supplier<B> start;
  private final Consumer<B> flush;
  /** One handler for every turn, so that scheduling a flush allocates nothing of its own. */
  private final Handler<Void> onEndOfTurn = v -> endOfTurn();
  private B batch;
  private boolean scheduled;

  /**
   * @param context the event loop the batch belongs to
   * @param start a new, empty batch, made on the first add after a flush
   * @param flush hands a batch on; the batch is the flush's own from then on
   */
  public TurnBatch(Context context, Supplier<B> start, Consumer<B> flush) {
    this.context = context;
    this.start = start;
    this.flush = flush;
  }

  /** The batch being gathered, started if there is none; add to it, then say when to flush it. */
  public B batch() {
    if (batch == null) {
      batch = start.get();
    }
    return batch;
  }

  /** Has the batch flushed at the end of this turn; the first call of a turn schedules it. */
  public void flushAtEndOfTurn() {
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(onEndOfTurn);
    }
  }

  /** Flushes the batch now, if one is open: it has reached its owner's size limit. */
  public void flushNow() {
    B full = batch;
    if (full != null) {
      batch = null;
      flush.accept(full);
    }
  }

  private void endOfTurn() {
    scheduled = false;
    flushNow();
  }
}
