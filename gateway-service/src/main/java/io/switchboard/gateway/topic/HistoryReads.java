package io.switchboard.gateway.topic;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import java.util.function.Consumer;

/**
 * HistoryReads reads a topic's history for its {@link FeedOrder}, to fill a gap or catch up. A read
 * that fails, or finds the events it asked for gone from history, makes the order give up with the
 * reason; the answer to a read started before the history was {@link #forget() deleted}, or before
 * the order closed, is ignored.
 *
 * <p>Used from one event loop only.
 */
final class HistoryReads {

  private final String topic;
  private final TopicLog log;
  private final Consumer<String> giveUp;
  private boolean reading;
  private boolean closed;
  /** Counts the deletions of the topic's history, so that a read of a deleted one is ignored. */
  private int generation;

  /** Reads of {@code topic} on {@code log}; {@code giveUp} receives the reason a read left a gap. */
  HistoryReads(String topic, TopicLog log, Consumer<String> giveUp) {
    this.topic = topic;
    this.log = log;
    this.giveUp = giveUp;
  }

  /** A read is on its way, and will be answered. */
  boolean reading() {
    return reading;
  }

  /** Reads up to {@code limit} events after {@code after}; {@code then} receives them. */
  void read(EventId after, int limit, Consumer<HistoryPage> then) {
    reading = true;
    int started = generation;
    log.read(topic, after.toString(), limit).onComplete(ar -> {
      if (closed || started != generation) {
        return;
      }
      reading = false;
      if (ar.failed()) {
        giveUp.accept("history after " + after + " not read: " + ar.cause().getMessage());
      } else if (ar.result().lost()) {
        giveUp.accept("events after " + after + " are no longer in history ("
            + ar.result().lostReason() + ")");
      } else {
        then.accept(ar.result());
      }
    });
  }

  /** The history was deleted: the read on its way, if any, is ignored. */
  void forget() {
    generation++;
    reading = false;
  }

  /** Every read on its way is ignored. */
  void close() {
    closed = true;
  }
}
