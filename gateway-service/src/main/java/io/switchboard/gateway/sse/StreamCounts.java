package io.switchboard.gateway.sse;

import io.switchboard.gateway.topic.FeedCounts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * StreamCounts is the number of SSE streams open on this gateway node, in all and per topic, and of
 * the topic feeds that serve them, summed over its event loops. Each loop's {@link SseHub} keeps it
 * current; any thread may read it.
 */
public final class StreamCounts {

  private final ConcurrentHashMap<String, Integer> byTopic = new ConcurrentHashMap<>();
  private final FeedCounts feeds = new FeedCounts();
  private final AtomicInteger streams = new AtomicInteger();

  void opened(String topic) {
    streams.incrementAndGet();
    byTopic.merge(topic, 1, Integer::sum);
  }

  void closed(String topic) {
    streams.decrementAndGet();
    // A count that falls to zero removes its topic.
    byTopic.computeIfPresent(topic, (t, n) -> n > 1 ? n - 1 : null);
  }

  void feedOpened(String topic) {
    feeds.feedOpened(topic);
  }

  /** A feed of {@code topic} learnt that the topic exists. */
  void feedFound(String topic) {
    feeds.feedFound(topic);
  }

  /** A feed of {@code topic} closed; {@code found} when it had learnt that the topic exists. */
  void feedClosed(String topic, boolean found) {
    feeds.feedClosed(topic, found);
  }

  /** The feeds of the SSE streams: the topics they keep from expiring. */
  public FeedCounts feeds() {
    return feeds;
  }

  /**
   * Has {@code listener} called with each topic that gets its first feed on this node, on the
   * event loop of that feed.
   */
  public void onFirstFeed(Consumer<String> listener) {
    feeds.onFirstFeed(listener);
  }

  /** The topics with a feed on this node: those it has streams of. */
  public Set<String> followedTopics() {
    return feeds.followedTopics();
  }

  /**
   * The event loops of this node whose hub holds a feed of {@code topic}, listening to its live
   * events; 0 once its last stream on the node ended.
   */
  public int feedCount(String topic) {
    return feeds.feedCount(topic);
  }

  /** Open streams. */
  public int streamCount() {
    return streams.get();
  }

  /** Open streams of one topic. */
  public int subscriberCount(String topic) {
    return byTopic.getOrDefault(topic, 0);
  }

  /** Open streams per topic with at least one. */
  public Map<String, Integer> subscribersByTopic() {
    return new HashMap<>(byTopic);
  }

  /**
   * Open streams per topic with at least one, of the topics that exist: a stream of a name that was
   * never published to subscribes to nothing yet, and is left out.
   */
  public Map<String, Integer> subscribersByExistingTopic() {
    Map<String, Integer> existing = new HashMap<>();
    byTopic.forEach((topic, streams) -> {
      if (feeds.found(topic)) {
        existing.put(topic, streams);
      }
    });
    return existing;
  }
}
