package io.switchboard.gateway.topic;

import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.transport.Fanout;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TopicFeed delivers one topic's live events to the subscribers of one of the gateway's event
 * loops, in id order, without gaps and without duplicates, whatever their transport: it listens to
 * the topic on the {@link TopicLog}, and its {@link FeedOrder} restores the order.
 *
 * <p>Used from one event loop only.
 */
public final class TopicFeed<E extends TopicEvent> implements TopicListener {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);

  private final String topic;
  private final TopicLog log;
  private final Function<StoredEvent, E> events;
  private final RateMeter delivered;
  /** The position of the last live event received, and when it was stored, to time its delivery. */
  private long livePosition = -1;
  private long liveStoredNanos = DeliveryLag.UNKNOWN;
  private final Runnable onFound;
  private final Runnable onClosed;
  private final FeedOrder<E> order;
  private final Set<TopicSubscriber<E>> subscribers = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * The subscribers as an array, made again only after they change: an event to ten thousand
   * streams then copies nothing, and a stream that leaves during a delivery does not disturb it.
   */
  private TopicSubscriber<E>[] snapshot;
  private final Promise<Void> ready = Promise.promise();
  private boolean found;
  private boolean closed;

  /**
   * A feed of {@code topic} from {@code log}, whose events the transport encodes once each with
   * {@code events}; {@code delivered} counts deliveries, {@code onFound} runs once when the feed
   * learns that the topic exists (it has had an event stored), and {@code onClosed} when it closes.
   */
  public TopicFeed(String topic, Vertx vertx, TopicLog log, FeedLimits limits,
      Function<StoredEvent, E> events, RateMeter delivered, Runnable onFound, Runnable onClosed) {
    this.topic = topic;
    this.log = log;
    this.events = events;
    this.delivered = delivered;
    this.onFound = onFound;
    this.onClosed = onClosed;
    this.order = new FeedOrder<>(topic, vertx, log, limits, events, this::deliver, this::close);
  }

  public String topic() {
    return topic;
  }

  /**
   * The id of the newest event of the topic the feed knows of, delivered or its starting point;
   * null before {@link #ready()} or while the topic has had no event.
   */
  public EventId position() {
    return order.position();
  }

  /** Completes once the feed knows where the topic stands; streams catch up from history after. */
  public Future<Void> ready() {
    return ready.future();
  }

  /**
   * Subscribes to the topic's live events and reads its tail; events after it are delivered live,
   * the rest come from history.
   */
  public void start() {
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
      order.baseline(ar.result());
      if (!EventId.NO_EPOCH.equals(ar.result().epoch())) {
        markFound();
      }
      ready.tryComplete();
      order.start();
    });
  }

  public void add(TopicSubscriber<E> subscriber) {
    subscribers.add(subscriber);
    snapshot = null;
  }

  public void remove(TopicSubscriber<E> subscriber) {
    subscribers.remove(subscriber);
    snapshot = null;
    if (subscribers.isEmpty()) {
      close(null);
    }
  }

  /** A live event of the topic, in whatever order it reached this node. */
  @Override
  public void onEvent(StoredEvent stored, long storedNanos) {
    if (closed) {
      return;
    }
    markFound();
    livePosition = stored.id().position();
    liveStoredNanos = storedNanos;
    // The order takes over the event's reference.
    order.add(events.apply(stored));
  }

  /**
   * An operator deleted the topic's history of {@code epoch}: when the feed followed it, every
   * subscriber is told that history is lost, and stays subscribed to the topic's next events.
   */
  @Override
  public void onDeleted(String epoch) {
    if (!closed && order.deleted(epoch)) {
      livePosition = -1;
      Fanout.each(new ArrayList<>(subscribers), TopicSubscriber::historyDeleted,
          "Telling a subscriber of topic " + topic + " that its history was deleted", TopicSubscriber::drop);
    }
  }

  /** A merge may have replaced the topic's history: quiet periods of the next minute check it again. */
  @Override
  public void onMembersJoined() {
    if (!closed) {
      order.recheck();
    }
  }

  /** Whether the feed knows that the topic exists: it has had an event stored. */
  public boolean topicExists() {
    return found;
  }

  private void markFound() {
    if (!found) {
      found = true;
      onFound.run();
    }
  }

  /** Called every heartbeat period: a quiet topic checks its history once. */
  public void sync() {
    if (!closed) {
      order.sync();
    }
  }

  /** The next event in order, to every subscriber; the caller keeps its reference. */
  private void deliver(E event) {
    if (snapshot == null) {
      snapshot = newSnapshot();
    }
    // Counted once in order: an event that reaches the node twice (a publish retried with its key) is
    // handed on once.
    delivered.mark(snapshot.length);
    // A subscriber that throws is dropped; its client resumes from its last id.
    Fanout.each(Arrays.asList(snapshot), subscriber -> subscriber.offer(event),
        "Event " + event.id() + " of topic " + topic, TopicSubscriber::drop);
    // Timed when it is the live event just received: one held for a gap, or read to fill one, is not.
    if (event.position() == livePosition && liveStoredNanos != DeliveryLag.UNKNOWN) {
      DeliveryLag.written(liveStoredNanos);
      liveStoredNanos = DeliveryLag.UNKNOWN;
    }
  }

  /** Ends every stream and forgets the topic; {@code reason} null means the last one left. */
  public void close(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    log.unsubscribe(topic, this);
    order.close();
    ready.tryFail("feed closed");
    if (reason != null) {
      LOG.atWarn().addKeyValue(LogFields.TOPIC, topic)
          .log("Ending {} streams of topic {}: {}", subscribers.size(), topic, reason);
    }
    Fanout.each(new ArrayList<>(subscribers), TopicSubscriber::end, "Ending a stream of topic " + topic,
        TopicSubscriber::drop);
    subscribers.clear();
    snapshot = null;
    onClosed.run();
  }

  @SuppressWarnings("unchecked")
  private TopicSubscriber<E>[] newSnapshot() {
    return subscribers.toArray(new TopicSubscriber[0]);
  }
}
