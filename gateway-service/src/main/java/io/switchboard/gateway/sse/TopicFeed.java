package io.switchboard.gateway.sse;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.topic.TopicListener;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.Fanout;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TopicFeed delivers one topic's live events to this gateway's subscribers, in id order, without
 * gaps and without duplicates.
 *
 * <p>Events reach the gateway out of order when several sse-service instances publish to one topic
 * at once, and one can miss the gateway altogether (an instance that dies between storing and
 * publishing). Positions in a topic are consecutive, so the feed holds an event until every earlier
 * one was delivered; a gap still open after {@code SSE_GAP_WAIT_MS} is filled from history. When
 * that is impossible (the events left history already, or the topic's history was replaced) the
 * feed ends every stream: each client reconnects with its last id and learns what was lost.
 *
 * <p>At most {@code SSE_CLIENT_QUEUE_MAX} events are held. Past that, while the feed cannot deliver
 * yet (its starting position or a history read is still on its way), it drops the newest held
 * event rather than the streams: every published event was stored first, so the feed reads what it
 * dropped from history as soon as it can.
 *
 * <p>Used from the event loop of its hub only.
 */
final class TopicFeed implements TopicListener {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
  /** The most events one history read returns. */
  private static final int HISTORY_READ_MAX = 1000;

  private final String topic;
  private final Vertx vertx;
  private final TopicLog log;
  private final SseConfig config;
  private final RateMeter delivered;
  private final Runnable onClosed;
  private final Set<SseStream> subscribers = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * The subscribers as an array, made again only after they change: an event to ten thousand
   * streams then copies nothing, and a stream that leaves during a delivery does not disturb it.
   */
  private SseStream[] snapshot;
  private final TreeMap<Long, LiveEvent> pending = new TreeMap<>();
  private final Promise<Void> ready = Promise.promise();
  /** The topic's epoch, {@link EventId#NO_EPOCH} until its first event; null before the baseline. */
  private String epoch;
  /** The position of the last event delivered. */
  private long position;
  private long deliveredAtLastTick = -1;
  private long deliveredAtLastSync = -1;
  private long gapTimer = -1;
  private boolean filling;
  /** Events were dropped or are known to be stored after the last one delivered. */
  private boolean behind;
  private boolean closed;

  TopicFeed(String topic, Vertx vertx, TopicLog log, SseConfig config, RateMeter delivered,
      Runnable onClosed) {
    this.topic = topic;
    this.vertx = vertx;
    this.log = log;
    this.config = config;
    this.delivered = delivered;
    this.onClosed = onClosed;
  }

  String topic() {
    return topic;
  }

  /** Completes once the feed knows where the topic stands; streams catch up from history after. */
  Future<Void> ready() {
    return ready.future();
  }

  /**
   * Subscribes to the topic's live events and reads its tail; events after it are delivered live,
   * the rest come from history.
   */
  void start() {
    log.subscribe(topic, this);
    log.tail(topic).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        ready.tryFail("topic history unavailable");
        close("history unavailable: " + ar.cause().getMessage());
        return;
      }
      EventId tail = ar.result();
      epoch = tail.epoch();
      position = tail.position();
      ready.tryComplete();
      drain();
      catchUpIfBehind();
    });
  }

  void add(SseStream stream) {
    subscribers.add(stream);
    snapshot = null;
  }

  void remove(SseStream stream) {
    subscribers.remove(stream);
    snapshot = null;
    if (subscribers.isEmpty()) {
      close(null);
    }
  }

  /** A live event of the topic, in whatever order it reached this node. */
  @Override
  public void onEvent(StoredEvent stored) {
    if (closed) {
      return;
    }
    delivered.mark(subscribers.size());
    onEvent(LiveEvent.of(stored));
  }

  /** An event in whatever order it came; the feed takes over the caller's reference to it. */
  private void onEvent(LiveEvent event) {
    if (closed) {
      event.release();
      return;
    }
    if (!hold(event)) {
      return;
    }
    if (pending.size() > config.clientQueueMax()) {
      if (epoch == null || filling) {
        // Nothing can be delivered before the pending read answers; the event is in history.
        pending.pollLastEntry().getValue().release();
        behind = true;
        return;
      }
      fillGap();
    }
    drain();
  }

  /**
   * Holds an event until its turn, taking over the caller's reference; false when the feed closed
   * because of it.
   */
  private boolean hold(LiveEvent event) {
    if (epoch != null && !sameEpoch(event)) {
      event.release();
      close("history replaced: epoch " + epoch + " became " + event.id().epoch());
      return false;
    }
    if (epoch == null || event.position() > position) {
      LiveEvent replaced = pending.put(event.position(), event);
      if (replaced != null) {
        replaced.release();
      }
    } else {
      event.release();
    }
    return true;
  }

  /**
   * Called every heartbeat period. Once a topic has gone quiet, reads its history once after the
   * last delivered event: an event stored by an sse-service instance that died before publishing
   * it is then delivered, instead of waiting for a later event to reveal the gap.
   */
  void sync() {
    if (epoch == null || closed || filling) {
      return;
    }
    boolean quiet = position == deliveredAtLastTick;
    deliveredAtLastTick = position;
    if (quiet && position != deliveredAtLastSync) {
      deliveredAtLastSync = position;
      readAfterDelivered(HISTORY_READ_MAX);
    }
  }

  private boolean sameEpoch(LiveEvent event) {
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
      LiveEvent event = pending.pollFirstEntry().getValue();
      try {
        if (event.position() == position + 1) {
          position = event.position();
          if (snapshot == null) {
            snapshot = subscribers.toArray(new SseStream[0]);
          }
          // A stream that throws is dropped; its client resumes from its last id.
          Fanout.each(Arrays.asList(snapshot), stream -> stream.offer(event),
              "Event " + event.id() + " of topic " + topic, SseStream::drop);
        }
      } finally {
        event.release();
      }
    }
    if (pending.isEmpty()) {
      vertx.cancelTimer(gapTimer);
      gapTimer = -1;
    } else if (gapTimer == -1 && !filling) {
      gapTimer = vertx.setTimer(config.gapWait().toMillis(), id -> {
        gapTimer = -1;
        fillGap();
      });
    }
  }

  private void fillGap() {
    if (filling || closed || pending.isEmpty()) {
      return;
    }
    readAfterDelivered((int) Math.min(pending.firstKey() - position - 1, HISTORY_READ_MAX));
  }

  private void readAfterDelivered(int limit) {
    filling = true;
    EventId after = new EventId(epoch, position);
    log.read(topic, after.toString(), limit).onComplete(ar -> {
      filling = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        close("history after " + after + " not read: " + ar.cause().getMessage());
        return;
      }
      HistoryPage page = ar.result();
      if (page.lost()) {
        close("events after " + after + " are no longer in history");
        return;
      }
      for (StoredEvent stored : page.events()) {
        if (!hold(LiveEvent.of(stored))) {
          return;
        }
      }
      drain();
      // Held events reveal a remaining gap by themselves; without any, only history knows of more.
      if (page.more() && pending.isEmpty()) {
        behind = true;
      }
      catchUpIfBehind();
    });
  }

  /** Reads history after the last delivered event when the feed dropped events or missed some. */
  private void catchUpIfBehind() {
    if (behind && !filling && !closed && epoch != null) {
      behind = false;
      readAfterDelivered(HISTORY_READ_MAX);
    }
  }

  /** Ends every stream and forgets the topic; {@code reason} null means the last one left. */
  void close(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    log.unsubscribe(topic, this);
    vertx.cancelTimer(gapTimer);
    pending.values().forEach(LiveEvent::release);
    pending.clear();
    ready.tryFail("feed closed");
    if (reason != null) {
      LOG.warn("Ending {} streams of topic {}: {}", subscribers.size(), topic, reason);
    }
    Fanout.each(new ArrayList<>(subscribers), SseStream::end, "Ending a stream of topic " + topic,
        SseStream::drop);
    subscribers.clear();
    snapshot = null;
    onClosed.run();
  }
}
