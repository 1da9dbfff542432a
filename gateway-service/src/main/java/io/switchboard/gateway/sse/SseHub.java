package io.switchboard.gateway.sse;

import io.switchboard.gateway.node.SseConfig;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.topic.FeedLimits;
import io.switchboard.gateway.topic.QueuedBytes;
import io.switchboard.gateway.topic.TopicFeed;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.topic.TopicStream;
import io.switchboard.gateway.transport.Fanout;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * SseHub holds the SSE streams of one of the gateway's event loops, grouped by topic, each topic's
 * streams fed by one {@link TopicFeed} over the loop's {@link TopicLog}.
 *
 * <p>One timer per loop sends the heartbeats of all streams and lets each quiet topic check its
 * history once, so neither a stream nor a topic owns a timer. Used from its event loop only.
 */
public final class SseHub {

  private final Vertx vertx;
  private final SseConfig config;
  private final FeedLimits limits;
  private final TopicLog log;
  private final Map<String, TopicFeed<LiveEvent>> feeds = new HashMap<>();
  private final Set<SseStream> streams = Collections.newSetFromMap(new IdentityHashMap<>());
  private final StreamCounts counts;
  private final QueuedBytes queued;
  private final RateMeter delivered;

  /**
   * {@code counts}, {@code queued} and {@code delivered} are the node's, shared with the hubs of its
   * other loops.
   */
  public SseHub(Vertx vertx, SseConfig config, TopicLog log, StreamCounts counts, QueuedBytes queued,
      RateMeter delivered) {
    this.vertx = vertx;
    this.config = config;
    this.limits = new FeedLimits(config.clientQueueMax(), config.gapWait());
    this.log = log;
    this.counts = counts;
    this.queued = queued;
    this.delivered = delivered;
  }

  /**
   * Starts the heartbeat timer, which belongs to the gateway server of this hub's event loop and
   * goes with it when it is undeployed.
   */
  public void start() {
    long period = config.heartbeat().toMillis();
    vertx.setPeriodic(period, period, id -> {
      Fanout.each(new ArrayList<>(streams), SseStream::heartbeat, "Heartbeat", SseStream::drop);
      Fanout.each(new ArrayList<>(feeds.values()), TopicFeed::sync, "History check of a quiet topic");
    });
  }

  /**
   * Opens a stream of {@code topic} on {@code response}. {@code onEnd} runs once when the stream
   * ends for any reason; the returned stream can be ended with {@link SseStream#end()} or
   * {@link SseStream#reconnect()}.
   */
  SseStream open(String topic, HttpServerRequest request, HttpServerResponse response, String lastEventId,
      Runnable onEnd) {
    TopicFeed<LiveEvent> feed = feeds.get(topic);
    boolean created = feed == null;
    if (created) {
      Object[] self = new Object[1];
      feed = new TopicFeed<>(topic, vertx, log, limits, LiveEvent::of, delivered, () -> counts.feedFound(topic),
          () -> {
            feeds.remove(topic, self[0]);
            counts.feedClosed(topic, ((TopicFeed<?>) self[0]).topicExists());
          });
      self[0] = feed;
      feeds.put(topic, feed);
      counts.feedOpened(topic);
    }
    SseStream stream = new SseStream(request, response,
        new TopicStream<>(topic, log, LiveEvent::of, config.clientQueueMax(), queued));
    streams.add(stream);
    counts.opened(topic);
    stream.start(feed, lastEventId, () -> {
      streams.remove(stream);
      counts.closed(topic);
      onEnd.run();
    });
    if (created) {
      feed.start();
    }
    return stream;
  }

  /** Whether this hub holds a feed of {@code topic}: it has streams of it, or had until just now. */
  boolean follows(String topic) {
    return feeds.containsKey(topic);
  }
}
