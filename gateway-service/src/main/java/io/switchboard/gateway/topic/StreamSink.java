package io.switchboard.gateway.topic;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.vertx.core.Future;

/**
 * StreamSink is the transport side of a {@link TopicStream}: it writes what the stream decided to
 * send, in the transport's own framing, and tells the stream when its connection can take more by
 * calling {@link TopicStream#writable()}.
 */
public interface StreamSink<E extends TopicEvent> {

  /** The topic's position is known: the stream is open, and events follow. */
  void opened();

  /**
   * A stream opened without an id to resume from starts after {@code position}: the id of the
   * topic's newest event before the first one it sends, or {@link EventId#START} while the topic
   * has none. A transport whose clients resume by id gives them this one, so that a client whose
   * connection ends before its first event still resumes without a gap.
   */
  default void positioned(EventId position) {
  }

  /** The topic cannot be served now; the stream ends right after. */
  void unavailable();

  /** Whether a write now would be buffered rather than sent: the client is not keeping up. */
  boolean full();

  /** Writes one event, in order and once. */
  void write(E event);

  /**
   * Tells the client that events after {@code lastEventId} are lost ({@code reason} as history
   * gives it); the events that follow continue after {@code resumeFrom}.
   */
  void lost(EventId resumeFrom, String lastEventId, String reason);

  /**
   * Tells the client that the topic's history was deleted: the events after {@code lastEventId}
   * (null when it had none) are lost ({@code unknown}), and the next ones start a new history.
   */
  default void deleted(String lastEventId) {
    lost(EventId.START, lastEventId, HistoryPage.UNKNOWN);
  }

  /** Ends the connection gracefully. */
  Future<Void> close();

  /** Closes the connection at once, dropping what is buffered for it. */
  void reset();

  /** Lets go of what the sink holds on the connection; the connection may live on. */
  void release();
}
