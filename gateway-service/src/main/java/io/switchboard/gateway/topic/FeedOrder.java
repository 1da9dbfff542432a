package io.switchboard.gateway.topic;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import io.vertx.core.Vertx;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FeedOrder puts one topic's events back in order for its {@link TopicFeed}: it passes each event
 * on once, after every earlier one, and fills gaps from history.
 *
 * <p>Events reach the gateway out of order when several sse-service instances publish to one topic
 * at once, and one can miss the gateway altogether (an instance that dies between storing and
 * publishing). Positions in a topic are consecutive, so an event is held until every earlier one
 * was passed on; a gap still open after {@link FeedLimits#gapWait} is filled from history. When
 * that is impossible (the events left history already, or the topic's history was replaced, by a
 * merge after a split for one) the order gives up with a reason, and the feed ends its streams:
 * each client reconnects with its last id and learns what was lost, {@code merged} after a merge.
 * A quiet topic learns of a merge by reading its history again after members join.
 *
 * <p>At most {@link FeedLimits#queueMax} events are held. Past that, while nothing can be passed on
 * yet (the starting position or a history read is still on its way), the newest held event is
 * dropped rather than the streams: every published event was stored first, so the order reads what
 * it dropped from history as soon as it can.
 *
 * <p>Used from one event loop only.
 */
final class FeedOrder<E extends TopicEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(FeedOrder.class);
  private static final int HISTORY_READ_MAX = HistoryPage.MAX_EVENTS;

  private final Vertx vertx;
  private final FeedLimits limits;
  private final Function<StoredEvent, E> events;
  private final Consumer<E> next;
  private final Consumer<String> giveUp;
  private final TreeMap<Long, E> pending = new TreeMap<>();
  private final HistoryReads reads;
  private final QuietSync quiet = new QuietSync();
  /** The topic's epoch, {@link EventId#NO_EPOCH} until its first event; null before the baseline. */
  private String epoch;
  /** The position of the last event passed on. */
  private long position;
  private long gapTimer = -1;
  /** Events were dropped or are known to be stored after the last one passed on. */
  private boolean behind;
  private boolean closed;

  /** {@code next} receives the events in order; {@code giveUp} the reason the order cannot be kept. */
  FeedOrder(String topic, Vertx vertx, TopicLog log, FeedLimits limits, Function<StoredEvent, E> events,
      Consumer<E> next, Consumer<String> giveUp) {
    this.vertx = vertx;
    this.limits = limits;
    this.events = events;
    this.next = next;
    this.giveUp = giveUp;
    this.reads = new HistoryReads(topic, log, giveUp);
  }

  /** Sets where the topic stands: events after {@code tail} are passed on once {@link #start}ed. */
  void baseline(EventId tail) {
    epoch = tail.epoch();
    position = tail.position();
    if (!EventId.NO_EPOCH.equals(epoch)) {
      // Events held before the baseline came unchecked: one of another epoch is left to history.
      pending.values().removeIf(event -> {
        boolean other = !epoch.equals(event.id().epoch());
        if (other) {
          event.release();
          behind = true;
        }
        return other;
      });
    }
  }

  /** The id of the last event passed on, or of the baseline; null before it or while the topic has none. */
  EventId position() {
    return epoch == null || EventId.NO_EPOCH.equals(epoch) ? null : new EventId(epoch, position);
  }

  /** Passes on the held events that are next, and reads history when some were dropped. */
  void start() {
    drain();
    catchUpIfBehind();
  }

  /** An event in whatever order it came; takes over the caller's reference to it. */
  void add(E event) {
    if (closed) {
      event.release();
      return;
    }
    hold(event);
    if (pending.size() > limits.queueMax()) {
      if (epoch == null || reads.reading()) {
        // Nothing can be passed on before the pending read answers; the event is in history.
        pending.pollLastEntry().getValue().release();
        behind = true;
        return;
      }
      fillGap();
    }
    drain();
  }

  /**
   * Holds an event until its turn, taking over the caller's reference; an event of another epoch
   * makes the order check its history instead.
   */
  private void hold(E event) {
    if (epoch != null && !sameEpoch(event)) {
      String other = event.id().epoch();
      event.release();
      checkEpoch(other);
      return;
    }
    if (epoch == null || event.position() > position) {
      E replaced = pending.put(event.position(), event);
      if (replaced != null) {
        replaced.release();
      }
    } else {
      event.release();
    }
  }

  /**
   * Called every heartbeat period. Once a topic has gone quiet, reads its history once after the
   * last event passed on: an event stored by an sse-service instance that died before publishing
   * it is then delivered, instead of waiting for a later event to reveal the gap.
   */
  void sync() {
    if (epoch == null || closed || reads.reading()) {
      return;
    }
    if (quiet.due(position)) {
      readAfterPosition(HISTORY_READ_MAX);
    }
  }

  /**
   * Reads the history again in every quiet period of the next {@link QuietSync#RECHECK_NANOS}:
   * when the sides of a split merged and both had stored events, the history has a new epoch, and
   * the read says so ({@code merged}); the feed then ends its streams, and each client learns it as
   * it resumes.
   */
  void recheck() {
    quiet.recheck();
  }

  /**
   * An event of another epoch came: the history was replaced (a merge joined the sides of a split),
   * or the event is a late one of the epoch a merge replaced, published after it. History tells
   * which: a read after the last event passed on gives up with the reason when the history was
   * replaced, and otherwise goes on where the order stands.
   */
  private void checkEpoch(String other) {
    if (reads.reading()) {
      behind = true;
      return;
    }
    LOG.info("An event of epoch {} came while following epoch {}; reading the history to tell whether"
        + " it was replaced", other, epoch);
    readAfterPosition(HISTORY_READ_MAX);
  }

  private boolean sameEpoch(E event) {
    if (epoch.equals(EventId.NO_EPOCH)) {
      epoch = event.id().epoch();
      return true;
    }
    return epoch.equals(event.id().epoch());
  }

  private void drain() {
    if (epoch == null || closed) {
      return;
    }
    while (!pending.isEmpty() && pending.firstKey() <= position + 1) {
      E event = pending.pollFirstEntry().getValue();
      try {
        if (event.position() == position + 1) {
          position = event.position();
          next.accept(event);
        }
      } finally {
        event.release();
      }
    }
    if (pending.isEmpty()) {
      vertx.cancelTimer(gapTimer);
      gapTimer = -1;
    } else if (gapTimer == -1 && !reads.reading()) {
      gapTimer = vertx.setTimer(limits.gapWait().toMillis(), id -> {
        gapTimer = -1;
        fillGap();
      });
    }
  }

  private void fillGap() {
    if (reads.reading() || closed || pending.isEmpty()) {
      return;
    }
    readAfterPosition((int) Math.min(pending.firstKey() - position - 1, HISTORY_READ_MAX));
  }

  private void readAfterPosition(int limit) {
    reads.read(new EventId(epoch, position), limit, this::fillFrom);
  }

  private void fillFrom(HistoryPage page) {
    for (StoredEvent stored : page.events()) {
      hold(events.apply(stored));
    }
    drain();
    // Held events reveal a remaining gap by themselves; without any, only history knows of more.
    if (page.more() && pending.isEmpty()) {
      behind = true;
    }
    catchUpIfBehind();
  }

  /** Reads history after the last event passed on when events were dropped or missed. */
  private void catchUpIfBehind() {
    if (behind && !reads.reading() && !closed && epoch != null) {
      behind = false;
      readAfterPosition(HISTORY_READ_MAX);
    }
  }

  /**
   * An operator deleted the topic's history of {@code deletedEpoch}: when it is the one followed,
   * the held events go and the order starts again before the first event of a new history; true
   * then.
   */
  boolean deleted(String deletedEpoch) {
    if (closed || !deletedEpoch.equals(epoch)) {
      return false;
    }
    reads.forget();
    behind = false;
    vertx.cancelTimer(gapTimer);
    gapTimer = -1;
    pending.values().forEach(TopicEvent::release);
    pending.clear();
    baseline(EventId.START);
    return true;
  }

  /** Releases the held events; nothing is passed on after. */
  void close() {
    closed = true;
    reads.close();
    vertx.cancelTimer(gapTimer);
    pending.values().forEach(TopicEvent::release);
    pending.clear();
  }
}
