package io.switchboard.gateway.topic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * FeedCounts is the number of topic feeds one transport holds on this gateway node, per topic,
 * summed over its event loops, and how many of them know that their topic exists. A topic with a
 * feed has subscribers here, which is what keeps it from expiring at sse-service. Each loop's hub
 * keeps it current; any thread may read it.
 */
public final class FeedCounts {

  private final ConcurrentHashMap<String, Integer> feedsByTopic = new ConcurrentHashMap<>();
  /** Feeds per topic that know it exists: it has had an event stored. */
  private final ConcurrentHashMap<String, Integer> foundByTopic = new ConcurrentHashMap<>();
  /** Subscribers per topic served by these feeds, for the cluster view. */
  private final ConcurrentHashMap<String, Integer> subscribersByTopic = new ConcurrentHashMap<>();
  private volatile Consumer<String> firstFeed = topic -> { };

  public void feedOpened(String topic) {
    if (feedsByTopic.merge(topic, 1, Integer::sum) == 1) {
      firstFeed.accept(topic);
    }
  }

  /** A feed of {@code topic} learnt that the topic exists. */
  public void feedFound(String topic) {
    foundByTopic.merge(topic, 1, Integer::sum);
  }

  /** A feed of {@code topic} closed; {@code found} when it had learnt that the topic exists. */
  public void feedClosed(String topic, boolean found) {
    // A count that falls to zero removes its topic.
    feedsByTopic.computeIfPresent(topic, (t, n) -> n > 1 ? n - 1 : null);
    if (found) {
      foundByTopic.computeIfPresent(topic, (t, n) -> n > 1 ? n - 1 : null);
    }
  }

  public void subscriberOpened(String topic) {
    subscribersByTopic.merge(topic, 1, Integer::sum);
  }

  public void subscriberClosed(String topic) {
    subscribersByTopic.computeIfPresent(topic, (t, n) -> n > 1 ? n - 1 : null);
  }

  /**
   * Subscribers per topic with at least one, of the topics that exist: a subscription to a name
   * that was never published to subscribes to nothing yet, and is left out.
   */
  public Map<String, Integer> subscribersByExistingTopic() {
    Map<String, Integer> existing = new HashMap<>();
    subscribersByTopic.forEach((topic, count) -> {
      if (found(topic)) {
        existing.put(topic, count);
      }
    });
    return existing;
  }

  /**
   * Has {@code listener} called with each topic that gets its first feed on this node, on the
   * event loop of that feed.
   */
  public void onFirstFeed(Consumer<String> listener) {
    firstFeed = listener;
  }

  /** The topics with a feed on this node: those it has subscribers of. */
  public Set<String> followedTopics() {
    return new HashSet<>(feedsByTopic.keySet());
  }

  /**
   * The event loops of this node that hold a feed of {@code topic}, listening to its live events;
   * 0 once its last subscriber on the node left.
   */
  public int feedCount(String topic) {
    return feedsByTopic.getOrDefault(topic, 0);
  }

  /** Whether a feed of {@code topic} knows that it exists. */
  public boolean found(String topic) {
    return foundByTopic.containsKey(topic);
  }
}
