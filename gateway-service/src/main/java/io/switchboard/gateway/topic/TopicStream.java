package io.switchboard.gateway.topic;

import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import io.vertx.core.Future;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * TopicStream is one client's subscription to a topic, whatever its transport: it decides what to
 * send and when, and its {@link StreamSink} writes it.
 *
 * <p>A stream that resumes joins its topic's feed first and holds the live events while it sends
 * the retained ones from history, then sends the held events it has not sent yet: nothing is
 * missed between history and live, and nothing is sent twice. Events wait in a queue bounded by
 * {@link FeedLimits#queueMax} and by the node's {@link QueuedBytes} whenever the connection cannot
 * take them; a client that lets the queue fill is disconnected, and resumes by id when it comes back. While a resuming stream waits
 * for history rather than for its client, a full queue is emptied instead: the events in it are in
 * history, so the stream reads history once more before it goes live.
 *
 * <p>Used from the event loop of its feed only.
 */
public final class TopicStream<E extends TopicEvent> implements TopicSubscriber<E> {

  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(TopicStream.class));
  /** Events per history read while catching up: keeps each reply, and the write queue, small. */
  public static final int HISTORY_PAGE = 100;

  private final String topic;
  private final TopicLog log;
  private final Function<StoredEvent, E> events;
  private final StreamQueue<E> queue;
  private TopicFeed<E> feed;
  private StreamSink<E> sink;
  private StreamCursor<E> cursor;
  /** What to do when the connection can take more: send held events, or read the next page. */
  private Runnable whenWritable = this::flush;
  private Runnable onEnd;
  private boolean catchingUp;
  private boolean resuming;
  /** Held live events were dropped during catch-up: read history again before going live. */
  private boolean reread;
  private boolean ended;

  /**
   * A stream of {@code topic}, whose history events the transport encodes with {@code events}, and
   * that holds up to {@code queueMax} events for its client within the node's {@code queued} bytes.
   */
  public TopicStream(String topic, TopicLog log, Function<StoredEvent, E> events, int queueMax,
      QueuedBytes queued) {
    this.topic = topic;
    this.log = log;
    this.events = events;
    this.queue = new StreamQueue<>(queueMax, queued);
  }

  public String topic() {
    return topic;
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Starts streaming from {@code feed} to {@code sink}: live only when {@code lastEventId} is null,
   * otherwise every retained event after it first. {@code onEnd} runs once, whatever ends the
   * stream.
   */
  public void start(TopicFeed<E> feed, StreamSink<E> sink, String lastEventId, Runnable onEnd) {
    this.feed = feed;
    this.sink = sink;
    this.cursor = new StreamCursor<>(sink, events);
    this.onEnd = onEnd;
    // Live events wait until the stream is open and has caught up.
    catchingUp = true;
    resuming = lastEventId != null;
    feed.add(this);
    // The stream opens only once the feed knows the topic's tail: a client that saw the stream
    // open and then publishes must receive its own event.
    feed.ready().onComplete(ar -> {
      if (ended) {
        return;
      }
      if (ar.failed()) {
        sink.unavailable();
        end();
        return;
      }
      sink.opened();
      if (lastEventId != null) {
        catchUp(lastEventId, true);
      } else {
        EventId position = startingPosition();
        cursor.startAfter(position);
        sink.positioned(position);
        catchingUp = false;
        flush();
      }
    });
  }

  /**
   * Where a live-only stream starts: just before the first event it holds, or else the newest
   * event its feed delivered, which came before the stream joined it.
   */
  private EventId startingPosition() {
    E first = queue.peek();
    if (first != null) {
      return new EventId(first.id().epoch(), first.position() - 1);
    }
    EventId position = feed.position();
    return position == null ? EventId.START : position;
  }

  /** The sink's connection can take more. */
  public void writable() {
    whenWritable.run();
  }

  /**
   * A live event from the feed, in order. The feed keeps its reference; the stream takes one of
   * its own for as long as it holds the event.
   */
  @Override
  public void offer(E event) {
    if (ended) {
      return;
    }
    if (catchingUp || !queue.isEmpty() || sink.full()) {
      StreamQueue.Refusal refused = queue.add(event);
      if (refused == null) {
        return;
      }
      if (catchingUp && resuming && !sink.full()) {
        // Everything queued is in history, which the stream reads again.
        queue.clear();
        reread = true;
        return;
      }
      if (refused == StreamQueue.Refusal.FULL) {
        LIMITS.hit("sse-slow-client", LogFields.of(LogFields.TOPIC, topic), "Closing a stream of topic {}: its queue is full (SSE_CLIENT_QUEUE_MAX)", topic);
      } else {
        LIMITS.hit("sse-queued-bytes", LogFields.of(LogFields.TOPIC, topic), "Closing a stream of topic {}: the gateway holds as many bytes for slow"
            + " streams as it may (SSE_QUEUED_MAX_BYTES)", topic);
      }
      drop();
      return;
    }
    cursor.write(event);
  }

  /**
   * The topic's history was deleted: what is held of it goes, the client is told that history is
   * lost ({@code unknown}), and the stream goes on with the events of the new history.
   */
  @Override
  public void historyDeleted() {
    if (ended) {
      return;
    }
    queue.clear();
    cursor.deleted();
  }

  private void catchUp(String after, boolean first) {
    if (ended) {
      return;
    }
    log.read(topic, after, HISTORY_PAGE).onComplete(ar -> {
      if (ended) {
        return;
      }
      if (ar.failed()) {
        // As for a stream that cannot start: the client is told, and resumes later by id.
        sink.unavailable();
        end();
        return;
      }
      cursor.page(ar.result(), after, first);
      next(ar.result());
    });
  }

  /** After a page: the next one, history once more, or live. */
  private void next(HistoryPage page) {
    if (page.more()) {
      String next = cursor.lastSent();
      if (sink.full()) {
        whenWritable = () -> {
          whenWritable = this::flush;
          catchUp(next, false);
        };
      } else {
        catchUp(next, false);
      }
      return;
    }
    if (reread) {
      reread = false;
      catchUp(cursor.lastSent(), false);
      return;
    }
    catchingUp = false;
    flush();
  }

  private void flush() {
    while (!ended && !catchingUp && !queue.isEmpty() && !sink.full()) {
      cursor.writeAndRelease(queue.poll());
    }
  }

  /**
   * Ends the stream by closing its connection, which drops what is buffered for it, unlike a
   * graceful end: for a client that does not keep up, or a stream that failed under a write.
   */
  @Override
  public void drop() {
    ended = true;
    queue.clear();
    sink.reset();
    release();
  }

  /** Ends the stream gracefully; the client reconnects by itself. */
  @Override
  public Future<Void> end() {
    if (ended) {
      return Future.succeededFuture();
    }
    ended = true;
    queue.clear();
    release();
    return sink.close();
  }

  private void release() {
    sink.release();
    if (feed != null) {
      feed.remove(this);
    }
    if (onEnd != null) {
      Runnable run = onEnd;
      onEnd = null;
      run.run();
    }
  }
}
