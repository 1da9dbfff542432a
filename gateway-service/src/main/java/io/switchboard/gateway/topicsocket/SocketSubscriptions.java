package io.switchboard.gateway.topicsocket;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.Topics;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.topic.TopicLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * SocketSubscriptions are the topics one {@code /ws/topics} connection subscribes to, at most
 * {@code WS_TOPICS_MAX_SUBSCRIPTIONS} at once.
 *
 * <p>{@code subscribe} is answered {@code subscribed} with the topic's position, then, with
 * {@code since}, every retained event after that id (or {@code history-lost} first when it is not
 * retained), with {@code history: N} the last N retained events, then live events; {@code
 * unsubscribe} is answered {@code unsubscribed}, after which no event of the topic is written. A
 * subscription whose feed ends while the connection lives (a merge replaced the topic's history)
 * starts again by itself after the last event it wrote. An error about one subscription never ends
 * the others. Used from the connection's event loop only.
 */
final class SocketSubscriptions {

  /** How long a subscription whose feed ended waits before it starts again. */
  static final long RESTART_DELAY_MS = 250;
  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(SocketSubscriptions.class));

  private final Vertx vertx;
  private final TopicSocketHub hub;
  private final TopicLog log;
  private final TopicSocket out;
  private final SocketAccess access;
  private final int max;
  private final SocketPresence present;
  private final Map<String, SocketSubscription> byTopic = new LinkedHashMap<>();

  SocketSubscriptions(Vertx vertx, TopicSocketHub hub, TopicLog log, TopicSocket out, SocketAccess access,
      int max, SocketPresence present) {
    this.vertx = vertx;
    this.hub = hub;
    this.log = log;
    this.out = out;
    this.access = access;
    this.max = max;
    this.present = present;
  }

  void subscribe(JsonObject message) {
    if (!(message.getValue("topic") instanceof String topic) || !Topics.isValid(topic)) {
      out.send(TopicFrames.error(ErrorCode.BAD_TOPIC, Topics.NAME_RULE, null, null));
      return;
    }
    String problem = problem(message);
    if (problem != null) {
      out.send(TopicFrames.error(ErrorCode.BAD_REQUEST, problem, topic, null));
    } else if (!access.grants().mayStream(topic)) {
      out.send(TopicFrames.error(ErrorCode.FORBIDDEN, "Not allowed to subscribe to topic '" + topic + "'",
          topic, null));
    } else if (byTopic.containsKey(topic)) {
      out.send(TopicFrames.error(ErrorCode.BAD_REQUEST, "Already subscribed to topic '" + topic + "'",
          topic, null));
    } else if (byTopic.size() >= max) {
      LIMITS.hit("ws-topics-subscriptions", LogFields.of(LogFields.TOPIC, topic), "Refusing a subscription"
          + " to topic {}: the topics WebSocket holds {} (WS_TOPICS_MAX_SUBSCRIPTIONS)", topic, max);
      out.send(TopicFrames.error(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "A connection may subscribe to " + max
          + " topics at once (WS_TOPICS_MAX_SUBSCRIPTIONS)", topic, null));
    } else {
      boolean withHistory = message.getValue("history") instanceof Number;
      SocketSubscription subscription = new SocketSubscription(topic, out, !withHistory, true);
      byTopic.put(topic, subscription);
      // Presence events from now on, held until it opens: none falls between the list and them.
      hub.watch(subscription);
      present.join(subscription, Boolean.TRUE.equals(message.getValue("presence")), this::forget).onSuccess(v -> {
        if (withHistory) {
          startWithHistory(subscription, ((Number) message.getValue("history")).intValue());
        } else {
          start(subscription, message.getString("since"));
        }
      });
    }
  }

  /** Ends a subscription the connection no longer has. */
  private void forget(SocketSubscription subscription) {
    byTopic.remove(subscription.topic(), subscription);
    hub.unwatch(subscription);
    subscription.unsubscribe();
    present.leave(subscription.topic());
  }

  /** What is wrong with {@code since} and {@code history}; null when nothing. */
  private static String problem(JsonObject message) {
    Object since = message.getValue("since");
    Object history = message.getValue("history");
    if (since != null && !(since instanceof String)) {
      return "'since' must be an event id, a string";
    }
    if (history != null && !(history instanceof Integer || history instanceof Long)
        || history != null && (((Number) history).longValue() < 1
            || ((Number) history).longValue() > HistoryPage.MAX_EVENTS)) {
      return "'history' must be an integer from 1 to " + HistoryPage.MAX_EVENTS;
    }
    if (since != null && history != null) {
      return "'since' and 'history' do not go together";
    }
    Object presence = message.getValue("presence");
    if (presence != null && !(presence instanceof Boolean)) {
      return "'presence' must be true or false";
    }
    return null;
  }

  void unsubscribe(JsonObject message) {
    if (!(message.getValue("topic") instanceof String topic) || !Topics.isValid(topic)) {
      out.send(TopicFrames.error(ErrorCode.BAD_TOPIC, Topics.NAME_RULE, null, null));
      return;
    }
    SocketSubscription subscription = byTopic.get(topic);
    if (subscription == null) {
      out.send(TopicFrames.error(ErrorCode.NOT_SUBSCRIBED, "Not subscribed to topic '" + topic + "'", topic, null));
      return;
    }
    forget(subscription);
    out.send(TopicFrames.unsubscribed(subscription.topic()));
  }

  /**
   * The connection's token was renewed: a subscription its new claims no longer allow ends, with
   * {@code forbidden} and then {@code unsubscribed}.
   */
  void recheck() {
    for (SocketSubscription subscription : new ArrayList<>(byTopic.values())) {
      if (!access.grants().mayStream(subscription.topic())) {
        forget(subscription);
        out.send(TopicFrames.error(ErrorCode.FORBIDDEN, "The renewed token does not allow topic '"
            + subscription.topic() + "'", subscription.topic(), null));
        out.send(TopicFrames.unsubscribed(subscription.topic()));
      }
    }
  }

  /** The connection is gone: every subscription ends. */
  void endAll() {
    for (SocketSubscription subscription : new ArrayList<>(byTopic.values())) {
      forget(subscription);
    }
  }

  int count() {
    return byTopic.size();
  }

  /** The connection can take more: every subscription sends what it holds, in turn. */
  void writable() {
    for (SocketSubscription subscription : new ArrayList<>(byTopic.values())) {
      if (out.full()) {
        return;
      }
      subscription.writable();
    }
  }

  /** The last {@code count} retained events first: after the id {@code count} before the tail. */
  private void startWithHistory(SocketSubscription subscription, int count) {
    log.tail(subscription.topic()).onComplete(ar -> {
      if (subscription.unsubscribed()) {
        return;
      }
      if (ar.failed()) {
        forget(subscription);
        subscription.unavailable();
        return;
      }
      EventId tail = ar.result();
      String since = EventId.NO_EPOCH.equals(tail.epoch()) ? null
          : new EventId(tail.epoch(), Math.max(0, tail.position() - count)).toString();
      start(subscription, since);
    });
  }

  private void start(SocketSubscription subscription, String since) {
    hub.open(subscription, since, () -> ended(subscription));
  }

  /**
   * A subscription's stream ended. Unless the client unsubscribed or the connection is gone, its
   * feed ended under it: it starts again after the last event it wrote. One that could not start,
   * the first time or when it started again, or whose history could not be read, was told
   * {@code service-unavailable} with its topic, and is forgotten: the client subscribes again
   * later, from the last event it has.
   */
  private void ended(SocketSubscription subscription) {
    if (subscription.unsubscribed() || out.closed() || byTopic.get(subscription.topic()) != subscription) {
      return;
    }
    if (!subscription.hasOpened() || subscription.refused()) {
      forget(subscription);
      return;
    }
    EventId last = subscription.last();
    SocketSubscription again = new SocketSubscription(subscription.topic(), out, true, false);
    again.presenceOf(subscription);
    byTopic.put(subscription.topic(), again);
    hub.watch(again);
    vertx.setTimer(RESTART_DELAY_MS, id -> {
      if (!again.unsubscribed() && !out.closed() && byTopic.get(again.topic()) == again) {
        start(again, last == null ? null : last.toString());
      }
    });
  }
}
