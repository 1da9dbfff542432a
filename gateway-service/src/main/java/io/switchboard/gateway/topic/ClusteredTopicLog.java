package io.switchboard.gateway.topic;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.HistoryRequest;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.PublishedEvent;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ClusteredTopicLog is the {@link TopicLog} of the cluster: sse-service stores the events and
 * answers reads over the event bus, with timeouts, and publishes each stored event to every gateway.
 *
 * <p>Each event loop registers one consumer on one broadcast address for its whole life, rather than
 * an address per topic registered while the topic has local subscribers. A per-topic registration
 * would be a Hazelcast write each time a topic gains or loses its first subscriber on a node, and a
 * publisher's view of it is updated asynchronously, so an event published just after a client
 * subscribed could miss the gateway. With one broadcast address the set of receivers changes only
 * when gateways come and go; the price is that every gateway sees every event and drops those of
 * topics it has no subscriber for, a map lookup each.
 *
 * <p>A publish carries its deadline, when this gateway stops waiting and answers 504: sse-service
 * stores nothing after it. Without it, a member frozen with the request in hand (a long garbage
 * collection) would store the event when it wakes up, after the client, told 504, had published it
 * again through another member. Reads, and publishes under an idempotency key, are sent again when
 * a member leaves the cluster ({@link InFlight}), so that those that went to it are answered by
 * another member rather than at their timeout.
 *
 * <p>A publish is refused with {@code no-quorum} before it is sent while this gateway's part of the
 * cluster has fewer data members than {@code CLUSTER_MIN_DATA_MEMBERS}: the data members' own check
 * answers that too, but a part with none at all (a gateway cut off alone by a partition) has nobody
 * to answer, and its clients would wait for a {@code 504} that says less.
 */
public final class ClusteredTopicLog implements TopicLog {

  /** Tries of one history read before its failure is reported. */
  static final int HISTORY_ATTEMPTS = 3;
  /** How long after a member leaves the requests still waiting are sent again. */
  static final long RESEND_DELAY_MS = 100;

  private final EventBus bus;
  private final DeliveryOptions delivery;
  private final long timeoutMillis;
  private final ClusterView cluster;
  private final InFlight inFlight;
  private final PublishMetrics metrics;
  private final Map<String, TopicListener[]> listeners = new HashMap<>();
  private Runnable stopWatching = () -> { };

  /**
   * Requests wait {@code requestTimeout}; {@code cluster} gives the clock deadlines are set in and
   * tells when members leave.
   */
  public ClusteredTopicLog(Vertx vertx, Duration requestTimeout, ClusterView cluster) {
    this.bus = vertx.eventBus();
    this.timeoutMillis = requestTimeout.toMillis();
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMillis);
    this.cluster = cluster;
    this.inFlight = new InFlight(bus);
    this.metrics = new PublishMetrics(cluster.meterRegistry());
  }

  /**
   * Registers this loop's consumer of live events; completes once the registration is
   * cluster-wide. The consumer belongs to the verticle whose context calls this, and goes with it.
   */
  public Future<Void> start() {
    MessageConsumer<JsonObject> consumer =
        bus.consumer(Addresses.SSE_EVENTS, message -> onPublished(message.body()));
    Context context = Vertx.currentContext();
    // Told on a cluster thread. The resend waits a moment, by when the bus has forgotten the member.
    stopWatching = cluster.watchMembers(left -> context.runOnContext(v ->
        context.owner().setTimer(RESEND_DELAY_MS, id -> inFlight.memberLeft())),
        joined -> context.runOnContext(v -> List.copyOf(listeners.values())
            .forEach(each -> Arrays.asList(each).forEach(TopicListener::onMembersJoined))));
    return consumer.completion();
  }

  /** Stops sending requests again when members leave. */
  public void stop() {
    stopWatching.run();
  }

  @Override
  public Future<PublishReply> append(PublishRequest request) {
    int min = cluster.minDataMembers();
    if (min > 1 && cluster.dataMemberCount() < min) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
          ErrorCode.NO_QUORUM.busCode(), "This part of the cluster has " + cluster.dataMemberCount()
              + " data members, fewer than CLUSTER_MIN_DATA_MEMBERS (" + min
              + "): the event was not stored, retry later"));
    }
    long started = System.nanoTime();
    JsonObject timed = request.withDeadline(cluster.clusterTime() + timeoutMillis).toJson();
    Future<Message<JsonObject>> reply = request.key() == null
        ? bus.request(Addresses.SSE_PUBLISH, timed, delivery)
        : inFlight.request(Addresses.SSE_PUBLISH, timed, timeoutMillis);
    return reply.map(answer -> PublishReply.fromJson(answer.body()))
        .onSuccess(stored -> metrics.stored(started, stored));
  }

  @Override
  public Future<Boolean> delete(String topic) {
    return bus.<JsonObject>request(Addresses.SSE_DELETE, new JsonObject().put("topic", topic), delivery)
        .map(reply -> reply.body().getBoolean("deleted", false));
  }

  /**
   * Reads change nothing, so a failed one is tried again: right after an sse-service instance dies,
   * the bus may still route a request to it until the cluster has dropped it.
   */
  @Override
  public Future<HistoryPage> read(String topic, String after, int limit) {
    return read(new HistoryRequest(topic, after, limit).toJson(), HISTORY_ATTEMPTS);
  }

  private Future<HistoryPage> read(JsonObject request, int attempts) {
    return inFlight.request(Addresses.SSE_HISTORY, request, timeoutMillis)
        .map(reply -> HistoryPage.fromJson(reply.body()))
        .recover(err -> attempts > 1 && retriable(err)
            ? read(request, attempts - 1)
            : Future.failedFuture(err));
  }

  /** Failures of the transport, not answers: sse-service reports its own errors as RECIPIENT_FAILURE. */
  private static boolean retriable(Throwable err) {
    return !(err instanceof ReplyException reply)
        || reply.failureType() != ReplyFailure.RECIPIENT_FAILURE;
  }

  @Override
  public void subscribe(String topic, TopicListener listener) {
    TopicListener[] current = listeners.get(topic);
    if (current == null) {
      listeners.put(topic, new TopicListener[] {listener});
    } else if (!Arrays.asList(current).contains(listener)) {
      TopicListener[] more = Arrays.copyOf(current, current.length + 1);
      more[current.length] = listener;
      listeners.put(topic, more);
    }
  }

  @Override
  public void unsubscribe(String topic, TopicListener listener) {
    TopicListener[] current = listeners.get(topic);
    if (current == null) {
      return;
    }
    TopicListener[] rest = Arrays.stream(current).filter(each -> each != listener)
        .toArray(TopicListener[]::new);
    if (rest.length == 0) {
      listeners.remove(topic);
    } else {
      listeners.put(topic, rest);
    }
  }

  private void onPublished(JsonObject body) {
    TopicListener[] receivers = listeners.get(PublishedEvent.topicOf(body));
    if (receivers == null) {
      return;
    }
    String deleted = PublishedEvent.deletedOf(body);
    if (deleted != null) {
      for (TopicListener listener : receivers) {
        listener.onDeleted(deleted);
      }
      return;
    }
    StoredEvent event = PublishedEvent.eventOf(body);
    if (event != null) {
      long storedNanos = storedNanos(PublishedEvent.storedAtOf(body));
      for (TopicListener listener : receivers) {
        listener.onEvent(event, storedNanos);
      }
    }
  }

  /** When an event was stored, on this JVM's nano clock; from cluster time, so hosts' clocks may differ. */
  private long storedNanos(long storedAt) {
    if (storedAt <= 0) {
      return DeliveryLag.UNKNOWN;
    }
    long ageMillis = Math.max(0, cluster.clusterTime() - storedAt);
    return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(ageMillis);
  }
}
