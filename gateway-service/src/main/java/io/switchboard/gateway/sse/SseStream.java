package io.switchboard.gateway.sse;

import io.switchboard.gateway.transport.SseWriter;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.gateway.topic.TopicLog;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * SseStream is one client's open event stream on one topic.
 *
 * <p>A stream that resumes joins its topic's feed first and holds the live events while it sends
 * the retained ones from history, then sends the held events it has not sent yet: nothing is
 * missed between history and live, and nothing is sent twice. Events wait in a queue bounded by
 * {@code SSE_CLIENT_QUEUE_MAX} whenever the connection cannot take them; a client that lets the
 * queue fill is disconnected, and resumes by id when it comes back. While a resuming stream waits
 * for history rather than for its client, a full queue is emptied instead: the events in it are in
 * history, so the stream reads history once more before it goes live.
 *
 * <p>Used from the event loop of its hub only.
 */
final class SseStream {

  /** Events per history read while catching up: keeps each reply, and the write queue, small. */
  static final int HISTORY_PAGE = 100;
  static final String HISTORY_LOST = "history-lost";

  private final String topic;
  private final HttpServerResponse response;
  private final HttpServerRequest request;
  private final TopicLog log;
  private final int queueMax;
  private final ArrayDeque<LiveEvent> queue = new ArrayDeque<>();
  private TopicFeed feed;
  private StreamChannel channel;
  /** What to do when the connection can take more: send held events, or read the next page. */
  private Runnable whenWritable = this::flush;
  private Runnable onEnd;
  private EventId sent;
  private boolean catchingUp;
  private boolean resuming;
  /** Held live events were dropped during catch-up: read history again before going live. */
  private boolean reread;
  private boolean ended;

  SseStream(String topic, HttpServerRequest request, HttpServerResponse response, TopicLog log,
      int queueMax) {
    this.topic = topic;
    this.response = response;
    this.request = request;
    this.log = log;
    this.queueMax = queueMax;
  }

  String topic() {
    return topic;
  }

  boolean ended() {
    return ended;
  }

  /**
   * Starts streaming from {@code feed}: live only when {@code lastEventId} is null, otherwise
   * every retained event after it first. {@code onEnd} runs once, whatever ends the stream.
   */
  void start(TopicFeed feed, String lastEventId, Runnable onEnd) {
    this.feed = feed;
    this.onEnd = onEnd;
    response.closeHandler(v -> end());
    response.exceptionHandler(err -> end());
    channel = StreamChannel.of(request, response, request.connection(), () -> whenWritable.run());
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
        // A 200 that ends at once makes EventSource retry; an error status would stop it for good.
        SseWriter.open(response);
        response.write(SseWriter.comment("error service-unavailable"));
        end();
        return;
      }
      SseWriter.open(response);
      response.write(SseWriter.comment("stream " + topic));
      if (lastEventId != null) {
        catchUp(lastEventId, true);
      } else {
        catchingUp = false;
        flush();
      }
    });
  }

  /**
   * A live event from the feed, in order. The feed keeps its reference; the stream takes one of
   * its own for as long as it holds the event.
   */
  void offer(LiveEvent event) {
    if (ended) {
      return;
    }
    if (catchingUp || !queue.isEmpty() || channel.full()) {
      if (queue.size() >= queueMax) {
        if (catchingUp && resuming && !channel.full()) {
          clearQueue();
          reread = true;
          return;
        }
        drop();
        return;
      }
      // The queue holds a reference of its own, given back when the event leaves it.
      queue.add(event.retain());
      return;
    }
    write(event);
  }

  void heartbeat() {
    if (!ended && response.headWritten() && !channel.full()) {
      channel.heartbeat();
    }
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
        end();
        return;
      }
      HistoryPage page = ar.result();
      EventId resumeFrom = page.resumeFrom() == null ? EventId.START : page.resumeFrom();
      // Any page can report a loss: a busy topic may overwrite events between two pages.
      if (page.lost()) {
        response.write(SseWriter.event(resumeFrom.toString(), HISTORY_LOST, new JsonObject()
            .put("topic", topic)
            .put("lastEventId", after)
            .put("reason", page.lostReason() == null ? HistoryPage.UNKNOWN : page.lostReason())
            .encode()));
        sent = resumeFrom;
      } else if (first) {
        sent = resumeFrom;
      }
      for (StoredEvent stored : page.events()) {
        LiveEvent event = LiveEvent.of(stored);
        try {
          write(event);
        } finally {
          event.release();
        }
      }
      if (page.more()) {
        String next = sent.toString();
        if (channel.full()) {
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
        catchUp(sent.toString(), false);
        return;
      }
      catchingUp = false;
      flush();
    });
  }

  private void flush() {
    while (!ended && !catchingUp && !queue.isEmpty() && !channel.full()) {
      LiveEvent event = queue.poll();
      try {
        write(event);
      } finally {
        event.release();
      }
    }
  }

  private void write(LiveEvent event) {
    EventId id = event.id();
    // Held live events may repeat what history already sent.
    if (sent != null && id.epoch().equals(sent.epoch()) && id.position() <= sent.position()) {
      return;
    }
    sent = id;
    channel.write(event);
  }

  private void clearQueue() {
    for (LiveEvent event = queue.poll(); event != null; event = queue.poll()) {
      event.release();
    }
  }

  /**
   * Ends the stream by closing its connection, which drops what is buffered for it, unlike a
   * graceful end: for a client that does not keep up, or a stream that failed under a write.
   */
  void drop() {
    ended = true;
    clearQueue();
    response.reset();
    release();
  }

  /** Ends the stream gracefully; the client reconnects by itself. */
  Future<Void> end() {
    if (ended) {
      return Future.succeededFuture();
    }
    ended = true;
    clearQueue();
    release();
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    if (!response.headWritten()) {
      SseWriter.open(response);
    }
    return response.end();
  }

  private void release() {
    if (channel != null) {
      channel.release();
    }
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
