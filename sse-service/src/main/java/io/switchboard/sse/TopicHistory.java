package io.switchboard.sse;

import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.switchboard.common.sse.EventId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * TopicHistory stores each topic's events in a Hazelcast ring buffer and reads them back by id.
 *
 * <p>A ring buffer per topic gives strictly increasing sequences, a bounded size, optional expiry
 * and synchronous backups on another member, so losing any one member loses no history. Each
 * topic's epoch lives in a replicated map next to it; ids carry the epoch so that an id from a
 * history that no longer exists is recognised as unknown instead of pointing into the new one.
 *
 * <p>Used from one event loop: Hazelcast's blocking calls run on worker threads and every callback
 * comes back on the owning context.
 */
public final class TopicHistory {

  /** Ring buffers are named by this prefix and the topic, and configured by its wildcard. */
  public static final String RING_PREFIX = "switchboard.sse.history.";
  /** topic to epoch, created with the topic's first event. */
  public static final String EPOCH_MAP = "switchboard.sse.epochs";
  /** The most events one read returns. */
  public static final int MAX_READ = 1000;

  private final Vertx vertx;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> epochMap;
  // Epochs never change while their topic's history exists, so each instance caches them.
  private final Map<String, String> epochs = new HashMap<>();

  private final int maxTopics;

  public TopicHistory(Vertx vertx, HazelcastInstance hazelcast, int maxTopics) {
    this.vertx = vertx;
    this.maxTopics = maxTopics;
    this.context = vertx.getOrCreateContext();
    this.hazelcast = hazelcast;
    this.epochMap = hazelcast.getMap(EPOCH_MAP);
  }

  /** The wildcard ring-buffer configuration every topic's history uses. */
  public static RingbufferConfig ringConfig(SseServiceConfig config) {
    return new RingbufferConfig(RING_PREFIX + "*")
        .setCapacity(config.historySize())
        .setTimeToLiveSeconds(config.historyTtlSeconds())
        .setBackupCount(1)
        .setAsyncBackupCount(0);
  }

  /** Appends an event; the future holds it with its id once it is stored with its backup. */
  public Future<StoredEvent> append(String topic, String type, String data) {
    return epoch(topic, true).compose(epoch -> {
      StoredEvent pending = new StoredEvent(null, type, data);
      return Future.fromCompletionStage(ring(topic).addAsync(pending.encode(), OverflowPolicy.OVERWRITE),
              context)
          .map(sequence -> new StoredEvent(EventId.ofSequence(epoch, sequence), type, data));
    });
  }

  /**
   * Reads up to {@code limit} retained events after {@code after}, or from the oldest retained
   * one when {@code after} is null. A limit of 0 only reports the topic's tail.
   */
  public Future<HistoryPage> read(String topic, EventId after, int limit) {
    return epoch(topic, false).compose(epoch -> {
      if (epoch == null) {
        boolean lost = after != null && !after.equals(EventId.START);
        return Future.succeededFuture(new HistoryPage(topic, EventId.START, lost,
            lost ? "unknown" : null, EventId.START, List.of(), false));
      }
      Ringbuffer<String> ring = ring(topic);
      return vertx.executeBlocking(() -> new long[] {ring.headSequence(), ring.tailSequence()})
          .compose(bounds -> readRange(topic, epoch, ring, bounds[0], bounds[1], after, limit));
    });
  }

  private Future<HistoryPage> readRange(String topic, String epoch, Ringbuffer<String> ring,
      long head, long tail, EventId after, int limit) {
    long start = head;
    String lostReason = null;
    if (after != null) {
      boolean sameHistory = after.epoch().equals(epoch) || after.equals(EventId.START);
      long next = after.nextSequence();
      if (!sameHistory || next > tail + 1) {
        lostReason = "unknown";
      } else if (next < head) {
        lostReason = "expired";
      } else {
        start = next;
      }
    }
    EventId tailId = tail < 0 ? new EventId(epoch, 0) : EventId.ofSequence(epoch, tail);
    int count = (int) Math.min(Math.min(limit, MAX_READ), tail - start + 1);
    if (count <= 0) {
      return Future.succeededFuture(new HistoryPage(topic, tailId, lostReason != null, lostReason,
          new EventId(epoch, start), List.of(), false));
    }
    long first = start;
    String reason = lostReason;
    return Future.fromCompletionStage(ring.readManyAsync(first, 0, count, null), context)
        .map(result -> page(topic, epoch, tailId, after, first, reason, result, tail));
  }

  private static HistoryPage page(String topic, String epoch, EventId tailId, EventId after,
      long start, String lostReason, ReadResultSet<String> result, long tail) {
    List<StoredEvent> events = new ArrayList<>(result.size());
    for (int i = 0; i < result.size(); i++) {
      events.add(StoredEvent.decode(epoch, result.getSequence(i), result.get(i)));
    }
    long resumeSequence = start;
    // Events overwritten between reading the bounds and reading the items are lost too.
    if (!events.isEmpty() && result.getSequence(0) > start) {
      resumeSequence = result.getSequence(0);
      if (after != null && lostReason == null) {
        lostReason = "expired";
      }
    }
    long last = events.isEmpty() ? start - 1 : result.getSequence(result.size() - 1);
    return new HistoryPage(topic, tailId, lostReason != null, lostReason,
        new EventId(epoch, resumeSequence), events, last < tail);
  }

  private Ringbuffer<String> ring(String topic) {
    return hazelcast.getRingbuffer(RING_PREFIX + topic);
  }

  /** The topic's epoch; created when absent only if {@code create}, else null when absent. */
  private Future<String> epoch(String topic, boolean create) {
    String cached = epochs.get(topic);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    Future<String> found;
    if (create) {
      String fresh = newEpoch();
      found = vertx.executeBlocking(() -> {
        String existing = epochMap.get(topic);
        if (existing != null) {
          return existing;
        }
        // Each topic holds a ring buffer in cluster memory: cap how many clients can create.
        // Concurrent creations on several instances may overshoot the cap by a few.
        if (epochMap.size() >= maxTopics) {
          throw new TopicLimitException(maxTopics);
        }
        existing = epochMap.putIfAbsent(topic, fresh);
        return existing == null ? fresh : existing;
      });
    } else {
      found = Future.fromCompletionStage(epochMap.getAsync(topic), context);
    }
    return found.onSuccess(epoch -> {
      if (epoch != null) {
        epochs.put(topic, epoch);
      }
    });
  }

  /** TopicLimitException refuses a new topic when the cluster holds {@code SSE_MAX_TOPICS}. */
  public static final class TopicLimitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TopicLimitException(int maxTopics) {
      super("The cluster already holds the maximum of " + maxTopics + " topics", null, false, false);
    }
  }

  private static String newEpoch() {
    String epoch;
    do {
      epoch = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    } while (epoch.equals(EventId.NO_EPOCH));
    return epoch;
  }
}
