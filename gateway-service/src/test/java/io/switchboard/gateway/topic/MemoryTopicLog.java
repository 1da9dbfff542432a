package io.switchboard.gateway.topic;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MemoryTopicLog is a {@link TopicLog} in memory, for tests without a cluster. It keeps the
 * cluster's rules: ids {@code <epoch>-<position>}, a bounded history whose oldest events expire,
 * ids of another epoch or beyond the tail read as unknown, one stored event per idempotency key.
 *
 * <p>Tests can also do what the cluster does when things go wrong: store an event that is never
 * published (an sse-service instance that died in between), publish events in any order or twice,
 * expire events, and replace a topic's history with a new epoch (the whole cluster restarted).
 * Used from one event loop; live events are delivered at once, from the caller.
 */
public final class MemoryTopicLog implements TopicLog {

  private final Map<String, Topic> topics = new HashMap<>();
  private final Map<String, List<TopicListener>> listeners = new HashMap<>();
  private int epochs;
  private boolean resumesFail;

  /** One topic's history: positions {@code head} to {@code head + events.size() - 1}. */
  private static final class Topic {
    String epoch;
    long head = 1;
    final List<StoredEvent> events = new ArrayList<>();
    final Map<String, StoredEvent> keys = new HashMap<>();

    long tail() {
      return head + events.size() - 1;
    }
  }

  @Override
  public Future<PublishReply> append(PublishRequest request) {
    String topic = request.topic();
    String event = request.event();
    String data = request.data();
    String unscopedKey = request.key();
    String scope = request.scope();
    Topic log = topics.computeIfAbsent(topic, this::newTopic);
    String key = unscopedKey == null ? null : scope + "\n" + unscopedKey;
    StoredEvent before = key == null ? null : log.keys.get(key);
    if (before != null) {
      if (!before.data().equals(data) || !java.util.Objects.equals(before.event(), event)) {
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
            ErrorCode.IDEMPOTENCY_CONFLICT.busCode(), "This Idempotency-Key was used for a different event"));
      }
      if (before.id().position() >= log.head) {
        publish(topic, before);
      }
      return Future.succeededFuture(new PublishReply(topic, before.id().toString(), true));
    }
    StoredEvent stored = store(topic, event, data);
    if (key != null) {
      log.keys.put(key, stored);
    }
    publish(topic, stored);
    return Future.succeededFuture(new PublishReply(topic, stored.id().toString(), false));
  }

  @Override
  public Future<Boolean> delete(String topic) {
    Topic deleted = topics.remove(topic);
    if (deleted == null) {
      return Future.succeededFuture(false);
    }
    for (TopicListener listener : List.copyOf(listeners.getOrDefault(topic, List.of()))) {
      listener.onDeleted(deleted.epoch);
    }
    return Future.succeededFuture(true);
  }

  /** Stores an event and publishes nothing, as an sse-service instance that died right after. */
  public StoredEvent store(String topic, String event, String data) {
    Topic log = topics.computeIfAbsent(topic, this::newTopic);
    StoredEvent stored = new StoredEvent(new EventId(log.epoch, log.tail() + 1), event, data);
    log.events.add(stored);
    return stored;
  }

  /** Delivers an event live, in whatever order and as often as the test wants. */
  public void publish(String topic, StoredEvent event) {
    for (TopicListener listener : List.copyOf(listeners.getOrDefault(topic, List.of()))) {
      listener.onEvent(event, System.nanoTime());
    }
  }

  /** Drops the {@code count} oldest retained events of the topic, as history does with age. */
  public void expire(String topic, int count) {
    Topic log = topics.get(topic);
    for (int i = 0; i < count && !log.events.isEmpty(); i++) {
      log.events.remove(0);
      log.head++;
    }
  }

  /** Replaces the topic's history with an empty one of a new epoch, as a cluster restart does. */
  public void replace(String topic) {
    topics.put(topic, newTopic(topic));
  }

  /**
   * From now on a read after an id fails, as when no sse-service answers it; the topic's tail still
   * reads, so streams open before they resume.
   */
  public void failResumes() {
    resumesFail = true;
  }

  @Override
  public Future<HistoryPage> read(String topic, String after, int limit) {
    if (resumesFail && after != null) {
      return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, "no sse-service answered"));
    }
    EventId from = after == null ? null : EventId.parse(after).orElse(new EventId("unknown", Long.MAX_VALUE));
    Topic log = topics.get(topic);
    if (log == null) {
      boolean lost = from != null && !from.equals(EventId.START);
      return Future.succeededFuture(new HistoryPage(topic, EventId.START, lost,
          lost ? HistoryPage.UNKNOWN : null, EventId.START, List.of(), false));
    }
    long start = log.head;
    String lostReason = null;
    if (from != null) {
      boolean sameHistory = from.epoch().equals(log.epoch) || from.equals(EventId.START);
      if (!sameHistory || from.position() > log.tail()) {
        lostReason = HistoryPage.UNKNOWN;
      } else if (from.position() + 1 < log.head) {
        lostReason = HistoryPage.EXPIRED;
      } else {
        start = from.position() + 1;
      }
    }
    int first = (int) (start - log.head);
    int end = (int) Math.min(log.events.size(), first + (long) limit);
    List<StoredEvent> events = List.copyOf(log.events.subList(first, end));
    return Future.succeededFuture(new HistoryPage(topic, new EventId(log.epoch, log.tail()),
        lostReason != null, lostReason, new EventId(log.epoch, start - 1), events,
        limit > 0 && end < log.events.size()));
  }

  @Override
  public void subscribe(String topic, TopicListener listener) {
    List<TopicListener> each = listeners.computeIfAbsent(topic, t -> new ArrayList<>());
    if (!each.contains(listener)) {
      each.add(listener);
    }
  }

  @Override
  public void unsubscribe(String topic, TopicListener listener) {
    List<TopicListener> each = listeners.get(topic);
    if (each != null && each.remove(listener) && each.isEmpty()) {
      listeners.remove(topic);
    }
  }

  /** Whether a listener receives the topic's live events. */
  public boolean subscribed(String topic) {
    return listeners.containsKey(topic);
  }

  private Topic newTopic(String name) {
    Topic topic = new Topic();
    topic.epoch = "ep" + (++epochs);
    return topic;
  }
}
