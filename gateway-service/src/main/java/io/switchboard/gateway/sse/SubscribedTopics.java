package io.switchboard.gateway.sse;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.TopicTouch;
import io.switchboard.gateway.topic.FeedCounts;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SubscribedTopics tells sse-service which topics this gateway node has subscribers of, by SSE or
 * by WebSocket, so that they do
 * not expire: a topic lives {@code SSE_TOPIC_TTL_SECONDS} after its last event or report. Only the
 * gateways know whether a topic has subscribers.
 *
 * <p>A topic is reported as soon as its first stream on the node opens, and every topic with
 * streams again every quarter of the TTL, in {@link TopicTouch} reports of at most
 * {@link TopicTouch#MAX_TOPICS} topics, one event-bus message each. Used from the gateway's home
 * context; the first-stream reports go from the stream's own event loop.
 */
public final class SubscribedTopics {

  private final Vertx vertx;
  private final EventBus bus;
  private final Duration ttl;
  private final List<FeedCounts> sources;
  private long timer = -1;

  /** Reports the topics of the SSE streams. */
  public SubscribedTopics(Vertx vertx, Duration ttl, StreamCounts counts) {
    this(vertx, ttl, List.of(counts.feeds()));
  }

  /** Reports the topics of the feeds of every transport in {@code sources}. */
  public SubscribedTopics(Vertx vertx, Duration ttl, List<FeedCounts> sources) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.ttl = ttl;
    this.sources = List.copyOf(sources);
  }

  /** How often every subscribed topic is reported: a quarter of the TTL, at least every 100 ms. */
  static long periodMillis(Duration ttl) {
    return Math.max(100, ttl.toMillis() / 4);
  }

  public void start() {
    sources.forEach(feeds -> feeds.onFirstFeed(topic -> send(List.of(topic))));
    timer = vertx.setPeriodic(periodMillis(ttl), id -> reportAll());
  }

  private void reportAll() {
    Set<String> followed = new HashSet<>();
    sources.forEach(feeds -> followed.addAll(feeds.followedTopics()));
    List<String> topics = new ArrayList<>(followed);
    for (int from = 0; from < topics.size(); from += TopicTouch.MAX_TOPICS) {
      send(topics.subList(from, Math.min(topics.size(), from + TopicTouch.MAX_TOPICS)));
    }
  }

  private void send(List<String> topics) {
    bus.send(Addresses.SSE_TOUCH, new TopicTouch(topics).toJson());
  }

  public void stop() {
    sources.forEach(feeds -> feeds.onFirstFeed(topic -> { }));
    vertx.cancelTimer(timer);
  }
}
