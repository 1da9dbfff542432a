package io.switchboard.gateway.topic;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.vertx.core.Future;

/**
 * TopicLog is where the topics live, as seen from one event loop of a gateway: it appends events,
 * reads them back after an id, and delivers each topic's new events live to this loop.
 *
 * <p>Ids are {@code <epoch>-<position>}: positions count a topic's events one by one, and a new
 * epoch means the topic's earlier history is gone. Live events may come out of order or not at all
 * (every appended event is readable first), so a reader restores the order from the positions and
 * fills gaps from {@link #read}.
 *
 * <p>Used from one event loop; futures complete and listeners run on it.
 */
public interface TopicLog {

  /**
   * Appends an event, at most once per idempotency key (the request's key null for none) of the
   * publisher's scope (null for the scope shared by every publisher without one).
   */
  Future<PublishReply> append(PublishRequest request);

  /** Appends an event of a publisher that creates topics without limit. */
  default Future<PublishReply> append(String topic, String event, String data, String key, String scope) {
    return append(new PublishRequest(topic, event, data, key, scope));
  }

  /**
   * Reads up to {@code limit} retained events after {@code after}, an id as a client gave it (one
   * that does not parse counts as unknown), or from the oldest retained when {@code after} is null.
   */
  Future<HistoryPage> read(String topic, String after, int limit);

  /** The id of the topic's newest event, {@link EventId#START} when it has none; fails when unknown. */
  default Future<EventId> tail(String topic) {
    return read(topic, null, 0).compose(page -> page.tail() == null
        ? Future.failedFuture("no tail in the history of topic " + topic)
        : Future.succeededFuture(page.tail()));
  }

  /**
   * Deletes the topic's history and idempotency keys, for an operator; the future holds whether
   * it had any. Every gateway's listeners of the topic are told ({@link TopicListener#onDeleted}).
   */
  Future<Boolean> delete(String topic);

  /**
   * Delivers the live events of {@code topic} to {@code listener} until {@link #unsubscribe}: one
   * listener per transport's feed of the topic, each receiving every event.
   */
  void subscribe(String topic, TopicListener listener);

  /** Stops delivering to {@code listener}; the topic's other listeners go on receiving. */
  void unsubscribe(String topic, TopicListener listener);
}
