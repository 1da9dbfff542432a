package io.switchboard.gateway.topicsocket;

import io.switchboard.common.Addresses;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.presence.TopicPresence;
import io.switchboard.gateway.topic.FeedCounts;
import io.switchboard.gateway.topic.FeedLimits;
import io.switchboard.gateway.topic.QueuedBytes;
import io.switchboard.gateway.topic.TopicFeed;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.topic.TopicStream;
import io.switchboard.gateway.transport.Fanout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import io.switchboard.gateway.presence.Present;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TopicSocketHub holds the WebSocket subscriptions of one of the gateway's event loops, grouped by
 * topic, each topic's subscriptions fed by one {@link TopicFeed} over the loop's {@link TopicLog}:
 * an event is encoded once per loop, whatever the number of sockets it goes to.
 *
 * <p>One timer per loop lets each quiet topic check its history once per period, as the SSE
 * streams' heartbeat does. Used from its event loop only.
 */
final class TopicSocketHub {

  private static final Logger LOG = LoggerFactory.getLogger(TopicSocketHub.class);
  private static final int PRESENCE_READS = 3;
  /** Between the two reads of a topic's presence read again. */
  private static final long PRESENCE_CONFIRM_MS = 2_000;

  private final Vertx vertx;
  private final TopicLog log;
  private final FeedLimits limits;
  private final int queueMax;
  private final Duration syncPeriod;
  private final FeedCounts counts;
  private final QueuedBytes queued;
  private final RateMeter delivered;
  private final TopicPresence presence;
  /** Presence events delivered per topic subscribed here, to tell whether one came while presence was read. */
  private final Map<String, Long> presenceSeen = new HashMap<>();
  private final Map<String, TopicFeed<SocketEvent>> feeds = new HashMap<>();
  /** Every subscription of this loop, by topic, for the ephemeral events that bypass the feeds. */
  private final Map<String, Set<SocketSubscription>> subscriptions = new HashMap<>();

  /**
   * {@code counts}, {@code queued} and {@code delivered} are the node's; a subscription holds up to
   * {@code limits.queueMax()} events for a client that does not keep up.
   */
  TopicSocketHub(Vertx vertx, TopicLog log, FeedLimits limits, Duration syncPeriod, FeedCounts counts,
      QueuedBytes queued, RateMeter delivered, TopicPresence presence) {
    this.vertx = vertx;
    this.log = log;
    this.limits = limits;
    this.queueMax = limits.queueMax();
    this.syncPeriod = syncPeriod;
    this.counts = counts;
    this.queued = queued;
    this.delivered = delivered;
    this.presence = presence;
  }

  /**
   * Starts the timer of quiet topics and the consumer of ephemeral events; both belong to the
   * verticle of this loop and go with it.
   */
  void start() {
    long period = syncPeriod.toMillis();
    vertx.setPeriodic(period, period, id ->
        Fanout.each(new ArrayList<>(feeds.values()), TopicFeed::sync, "History check of a quiet topic"));
    vertx.eventBus().<JsonObject>consumer(Addresses.TOPIC_EPHEMERAL, message -> deliverEphemeral(message.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.TOPIC_PRESENCE, message -> deliverPresence(message.body()));
    vertx.eventBus().consumer(Addresses.TOPIC_PRESENCE_REREAD, message -> rereadPresence());
  }

  /** Tells every gateway's subscribers with presence that a connection joined or left a topic. */
  void publishPresence(JsonObject event) {
    vertx.eventBus().publish(Addresses.TOPIC_PRESENCE, event);
  }

  private void deliverPresence(JsonObject event) {
    String topic = PresenceEvents.topicOf(event);
    Set<SocketSubscription> receivers = topic == null ? null : subscriptions.get(topic);
    if (receivers == null) {
      return;
    }
    presenceSeen.merge(topic, 1L, Long::sum);
    // Every subscription makes a join and a leave: a topic of thousands of subscribers, few or none
    // with presence, must not copy them all for each.
    List<SocketSubscription> watching = null;
    for (SocketSubscription subscription : receivers) {
      if (subscription.withPresence()) {
        if (watching == null) {
          watching = new ArrayList<>();
        }
        watching.add(subscription);
      }
    }
    if (watching != null) {
      Fanout.each(watching, subscription -> subscription.presenceEvent(event),
          "Presence event of topic " + topic, subscription -> { });
    }
  }

  /**
   * Reads again the presence of every topic this loop has subscribers with presence of, one topic
   * after the other, so as not to take every worker thread at once.
   */
  private void rereadPresence() {
    List<String> topics = new ArrayList<>();
    subscriptions.forEach((topic, receivers) -> {
      if (receivers.stream().anyMatch(SocketSubscription::withPresence)) {
        topics.add(topic);
      }
    });
    rereadPresence(topics.iterator());
  }

  /** Reads the next topic once the one before it is done. */
  private void rereadPresence(Iterator<String> topics) {
    if (topics.hasNext()) {
      rereadPresence(topics.next(), 1).onComplete(done -> rereadPresence(topics));
    }
  }

  /**
   * Brings the topic's subscribers with presence up to the directory. A join or leave that came
   * while it was read may be newer than what was read: then it is read again, up to
   * {@value #PRESENCE_READS} times, and otherwise left to the joins and leaves.
   */
  private Future<Void> rereadPresence(String topic, int attempt) {
    long seen = presenceSeen.getOrDefault(topic, 0L);
    // Read twice, a moment apart: a connection is told gone only when neither read lists it, in
    // case its gateway was still writing it back at the first.
    return presence.present(topic).compose(first -> {
      Promise<List<Present>> later = Promise.promise();
      vertx.setTimer(PRESENCE_CONFIRM_MS, id -> presence.present(topic).onComplete(later));
      return later.future().map(second -> {
        Set<String> listed = new HashSet<>();
        first.forEach(each -> listed.add(each.id()));
        second.forEach(each -> listed.add(each.id()));
        return Map.entry(second, listed);
      });
    }).<Void>compose(read -> {
      Set<SocketSubscription> receivers = subscriptions.get(topic);
      if (receivers == null) {
        return Future.succeededFuture();
      }
      if (seen != presenceSeen.getOrDefault(topic, 0L)) {
        return attempt < PRESENCE_READS ? rereadPresence(topic, attempt + 1) : Future.succeededFuture();
      }
      Fanout.each(new ArrayList<>(receivers), subscription -> subscription.presentAgain(read.getKey(), read.getValue()),
          "Presence read again of topic " + topic, subscription -> { });
      return Future.succeededFuture();
    }).recover(err -> {
      LOG.warn("Could not read the presence of topic {} again: {}", topic, err.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Has {@code subscription} receive the topic's presence events from now on, before it opens;
   * {@link #open} keeps it, or {@link #unwatch} lets it go.
   */
  void watch(SocketSubscription subscription) {
    subscriptions.computeIfAbsent(subscription.topic(), t -> new LinkedHashSet<>()).add(subscription);
  }

  void unwatch(SocketSubscription subscription) {
    Set<SocketSubscription> each = subscriptions.get(subscription.topic());
    if (each != null && each.remove(subscription) && each.isEmpty()) {
      subscriptions.remove(subscription.topic());
      presenceSeen.remove(subscription.topic());
    }
  }

  /** Sends an ephemeral event to every gateway's subscribers of its topic, this loop's too. */
  void publishEphemeral(String topic, String event, String data) {
    vertx.eventBus().publish(Addresses.TOPIC_EPHEMERAL, EphemeralEvent.toJson(topic, event, data));
  }

  private void deliverEphemeral(JsonObject body) {
    String topic = EphemeralEvent.topicOf(body);
    Set<SocketSubscription> receivers = topic == null ? null : subscriptions.get(topic);
    if (receivers == null) {
      return;
    }
    String frame = EphemeralEvent.frame(body);
    delivered.mark(receivers.size());
    Fanout.each(new ArrayList<>(receivers), subscription -> subscription.ephemeral(frame),
        "Ephemeral event of topic " + topic, subscription -> { });
  }

  /**
   * Starts {@code subscription}: live only when {@code since} is null, otherwise every retained
   * event after it first. {@code onEnd} runs once, whatever ends it.
   */
  void open(SocketSubscription subscription, String since, Runnable onEnd) {
    String topic = subscription.topic();
    TopicFeed<SocketEvent> feed = feeds.get(topic);
    boolean created = feed == null;
    if (created) {
      Object[] self = new Object[1];
      feed = new TopicFeed<>(topic, vertx, log, limits, SocketEvent.encoder(topic), delivered,
          () -> counts.feedFound(topic),
          () -> {
            feeds.remove(topic, self[0]);
            counts.feedClosed(topic, ((TopicFeed<?>) self[0]).topicExists());
          });
      self[0] = feed;
      feeds.put(topic, feed);
      counts.feedOpened(topic);
    }
    TopicStream<SocketEvent> stream = new TopicStream<>(topic, log, SocketEvent.encoder(topic), queueMax, queued);
    subscription.attach(stream, feed, since);
    watch(subscription);
    counts.subscriberOpened(topic);
    stream.start(feed, subscription, since, () -> {
      unwatch(subscription);
      counts.subscriberClosed(topic);
      onEnd.run();
    });
    if (created) {
      feed.start();
    }
  }
}
