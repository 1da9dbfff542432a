package io.switchboard.gateway.topic;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import java.util.function.Function;

/**
 * StreamCursor is how far a {@link TopicStream} has sent its topic: the id of the last event it
 * wrote to its {@link StreamSink}. It writes each event once, skipping the held live events that
 * repeat what history sent already, and passes on to the sink the losses that history reports.
 *
 * <p>Used from the event loop of its stream only.
 */
final class StreamCursor<E extends TopicEvent> {

  private final StreamSink<E> sink;
  private final Function<StoredEvent, E> events;
  /** The last event written, or where the stream resumes from; null before either is known. */
  private EventId sent;

  /** Writes to {@code sink}, the history events encoded with {@code events}. */
  StreamCursor(StreamSink<E> sink, Function<StoredEvent, E> events) {
    this.sink = sink;
    this.events = events;
  }

  /** The id the next page of history follows; known once the first page was sent. */
  String lastSent() {
    return sent.toString();
  }

  /**
   * Sends a page of history read after {@code after}, and the loss it reports; the {@code first}
   * page of a stream sets where it resumes from.
   */
  void page(HistoryPage page, String after, boolean first) {
    EventId resumeFrom = page.resumeFrom() == null ? EventId.START : page.resumeFrom();
    // Any page can report a loss: a busy topic may overwrite events between two pages.
    if (page.lost()) {
      sink.lost(resumeFrom, after, page.lostReason() == null ? HistoryPage.UNKNOWN : page.lostReason());
      sent = resumeFrom;
    } else if (first) {
      sent = resumeFrom;
    }
    for (StoredEvent stored : page.events()) {
      writeAndRelease(events.apply(stored));
    }
  }

  /**
   * A stream that sends live events only starts after {@code position}, the id its client was
   * given: a deletion of the topic's history reports it as the last id the client had.
   */
  void startAfter(EventId position) {
    if (sent == null && !EventId.START.equals(position)) {
      sent = position;
    }
  }

  /** Writes {@code event} as {@link #write} does, then releases the reference the caller handed over. */
  void writeAndRelease(E event) {
    try {
      write(event);
    } finally {
      event.release();
    }
  }

  /** Writes {@code event} unless it was sent already; the caller keeps its reference. */
  void write(E event) {
    EventId id = event.id();
    // Held live events may repeat what history already sent.
    if (sent != null && id.epoch().equals(sent.epoch()) && id.position() <= sent.position()) {
      return;
    }
    sent = id;
    sink.write(event);
  }

  /**
   * The topic's history was deleted: the sink tells the client that what followed the last event
   * sent is lost, and the events after start a new history.
   */
  void deleted() {
    String last = sent == null ? null : sent.toString();
    sent = EventId.START;
    sink.deleted(last);
  }
}
