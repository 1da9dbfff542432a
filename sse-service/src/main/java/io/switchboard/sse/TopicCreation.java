package io.switchboard.sse;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.HazelcastFutures;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.sse.history.CreationBucket;
import io.switchboard.common.sse.history.HistoryMaps;
import io.switchboard.common.sse.history.TakeCreationToken;
import io.switchboard.common.sse.history.TopicJournal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * TopicCreation decides whether a publish may create its topic: its creator must have a token left
 * ({@code SSE_TOPIC_CREATE_RATE_PER_MINUTE}, {@code SSE_TOPIC_CREATE_BURST}), and the cluster must
 * hold fewer than {@code SSE_MAX_TOPICS} topics. It is asked only when an append found no topic,
 * so publishing to a topic that exists costs nothing more.
 *
 * <p>The creators' token buckets are cluster-wide ({@link HistoryMaps#CREATIONS}): a creator gets
 * the same rate whichever instance answers. Publishes of one creator that race to create the same
 * topic share one decision, and so one token, until the first of them has created it.
 *
 * <p>Used from one event loop.
 */
final class TopicCreation {

  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(TopicCreation.class));

  private final Vertx vertx;
  private final Context context;
  private final IMap<String, TopicJournal> logs;
  private final IMap<String, CreationBucket> buckets;
  private final SseServiceConfig config;
  /** Decisions made or being made, by topic and creator, until the topic is created. */
  private final Map<String, Future<Void>> deciding = new HashMap<>();

  TopicCreation(Vertx vertx, HazelcastInstance hazelcast, SseServiceConfig config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.logs = hazelcast.getMap(HistoryMaps.HISTORY);
    this.buckets = hazelcast.getMap(HistoryMaps.CREATIONS);
    this.config = config;
  }

  /**
   * Succeeds when {@code creator} (null for a publisher that is not limited) may create
   * {@code topic}; fails with a {@link PublishRefusal} otherwise.
   */
  Future<Void> allow(String topic, String creator) {
    String key = decisionKey(topic, creator);
    Future<Void> decision = deciding.get(key);
    if (decision == null) {
      decision = takeToken(topic, creator).compose(v -> checkCap(topic));
      deciding.put(key, decision);
    }
    return decision;
  }

  /**
   * An append allowed by {@link #allow} is done, or the decision was no: later publishes find the
   * topic, or decide again.
   */
  void settled(String topic, String creator) {
    deciding.remove(decisionKey(topic, creator));
  }

  private static String decisionKey(String topic, String creator) {
    // A newline is in no topic name.
    return creator == null ? topic : topic + '\n' + creator;
  }

  private Future<Void> takeToken(String topic, String creator) {
    if (creator == null || config.createRatePerMinute() == 0) {
      return Future.succeededFuture();
    }
    TakeCreationToken take = new TakeCreationToken(System.currentTimeMillis(),
        config.createRatePerMinute(), config.createBurst());
    return HazelcastFutures.call(() -> buckets.submitToKey(creator, take), context).compose(taken -> {
      if (taken) {
        return Future.succeededFuture();
      }
      LIMITS.hit("topic-creation", LogFields.of(LogFields.TOPIC, topic), "a publisher has no topic creation left ({} a minute, bursts of {});"
          + " topic {} not created", config.createRatePerMinute(), config.createBurst(), topic);
      return Future.failedFuture(new PublishRefusal(ErrorCode.TOPIC_CREATION_LIMITED,
          "Too many new topics from this client; publish to an existing topic, or retry later"));
    });
  }

  /** Each topic holds history in cluster memory: cap how many there are. */
  private Future<Void> checkCap(String topic) {
    // Concurrent creations on several instances may overshoot the cap by a few.
    return vertx.<Void>executeBlocking(() -> {
      if (logs.size() >= config.maxTopics()) {
        throw new PublishRefusal(ErrorCode.TOPIC_LIMIT,
            "The cluster already holds the maximum of " + config.maxTopics() + " topics");
      }
      return null;
    }).onFailure(err -> {
      if (err instanceof PublishRefusal) {
        LIMITS.hit("topic-cap", LogFields.of(LogFields.TOPIC, topic), "the cluster holds SSE_MAX_TOPICS ({}) topics; topic {} not created",
            config.maxTopics(), topic);
      }
    });
  }
}
