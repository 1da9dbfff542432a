package io.switchboard.gateway.sse;

import io.switchboard.common.Addresses;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.transport.Fanout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * SseHub holds this gateway's SSE streams, grouped by topic, and feeds them the events that
 * sse-service publishes.
 *
 * <p>Every gateway registers one consumer on one broadcast address for its whole life, rather than
 * an address per topic registered while the topic has local subscribers. A per-topic registration
 * would be a Hazelcast write each time a topic gains or loses its first subscriber on a node, and a
 * publisher's view of it is updated asynchronously, so an event published just after a client
 * subscribed could miss the gateway. With one broadcast address the set of receivers changes only
 * when gateways come and go; the price is that every gateway sees every event and drops those of
 * topics it has no subscriber for, a map lookup each.
 *
 * <p>The gateway has a hub on each of its event loops, for the streams of that loop; every hub
 * registers its consumer, and the bus delivers each event to every consumer of the node. Per loop,
 * one timer sends the heartbeats of all streams and lets each quiet topic check its history once,
 * so neither a stream nor a topic owns a timer.
 * Used from its event loop only.
 */
public final class SseHub {

  private final Vertx vertx;
  private final SseConfig config;
  private final SseBackend backend;
  private final Map<String, TopicFeed> feeds = new HashMap<>();
  private final Set<SseStream> streams = Collections.newSetFromMap(new IdentityHashMap<>());
  private final StreamCounts counts;
  private final RateMeter delivered;

  /** {@code counts} and {@code delivered} are the node's, shared with the hubs of its other loops. */
  public SseHub(Vertx vertx, SseConfig config, SseBackend backend, StreamCounts counts, RateMeter delivered) {
    this.vertx = vertx;
    this.config = config;
    this.backend = backend;
    this.counts = counts;
    this.delivered = delivered;
  }

  /**
   * Registers the event consumer; completes once the registration is cluster-wide. The consumer
   * and the timer belong to the gateway server of this hub's event loop and go with it when it is
   * undeployed.
   */
  public Future<Void> start() {
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(Addresses.SSE_EVENTS, message -> onEvent(message.body()));
    long period = config.heartbeat().toMillis();
    vertx.setPeriodic(period, period, id -> {
      Fanout.each(new ArrayList<>(streams), SseStream::heartbeat, "Heartbeat", SseStream::drop);
      Fanout.each(new ArrayList<>(feeds.values()), TopicFeed::sync, "History check of a quiet topic");
    });
    return consumer.completion();
  }

  /**
   * Opens a stream of {@code topic} on {@code response}. {@code onEnd} runs once when the stream
   * ends for any reason; the returned stream can be ended with {@link SseStream#end()}.
   */
  SseStream open(String topic, HttpServerRequest request, HttpServerResponse response, String lastEventId,
      Runnable onEnd) {
    TopicFeed feed = feeds.get(topic);
    boolean created = feed == null;
    if (created) {
      TopicFeed[] self = new TopicFeed[1];
      feed = new TopicFeed(topic, vertx, backend, config, () -> feeds.remove(topic, self[0]));
      self[0] = feed;
      feeds.put(topic, feed);
    }
    SseStream stream = new SseStream(topic, request, response, backend, config.clientQueueMax());
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

  private void onEvent(JsonObject body) {
    TopicFeed feed = body == null ? null : feeds.get(body.getString("topic"));
    if (feed == null) {
      return;
    }
    LiveEvent event = LiveEvent.fromJson(body);
    if (event != null) {
      delivered.mark(feed.subscriberCount());
      // The feed takes over the event's reference.
      feed.onEvent(event);
    }
  }
}
