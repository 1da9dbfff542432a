package io.switchboard.sse;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.DataQuorum;
import io.switchboard.common.cluster.HazelcastFutures;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.sse.history.AppendEvent;
import io.switchboard.common.sse.history.AppendOutcome;
import io.switchboard.common.sse.history.DeleteTopic;
import io.switchboard.common.sse.history.ExpireIdleTopic;
import io.switchboard.common.sse.history.HistoryLimits;
import io.switchboard.common.sse.history.HistoryMaps;
import io.switchboard.common.sse.history.LogEntry;
import io.switchboard.common.sse.history.LogSlice;
import io.switchboard.common.sse.history.ReadEvents;
import io.switchboard.common.sse.history.TopicJournal;
import io.switchboard.common.sse.history.TouchTopic;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * TopicHistory stores each topic's events in the cluster and reads them back by id.
 *
 * <p>A topic's history is one {@link TopicJournal} in a Hazelcast map with a synchronous backup, so
 * losing any one data member loses no stored event. Appends go through {@link AppendEvent}, which
 * stores an event and its idempotency key in one step: a retried append, by Hazelcast after a
 * member died or by a client that lost the reply, stores nothing twice. Each topic has an epoch,
 * created with its first event; ids carry it so that an id from a history that no longer exists is
 * recognised as unknown instead of pointing into the new one. After a split whose sides both stored
 * events, the merge joins them in a new epoch ({@code JournalMergePolicy}); an id of a side's epoch
 * then reads as {@code merged}, followed by everything retained.
 *
 * <p>An append first tries the topic as it is; only when it finds none does {@link TopicCreation}
 * decide whether it may be created, and the append is tried again with a new epoch. A topic that
 * stays without events and subscribers for {@code SSE_TOPIC_TTL_SECONDS} is deleted
 * ({@link #expireIdle}); a resume against it then finds no history, as for any unknown topic.
 *
 * <p>While this side of the cluster has fewer data members than {@code CLUSTER_MIN_DATA_MEMBERS}
 * ({@link DataQuorum}), appends fail with a {@link PublishRefusal} {@code no-quorum} and store
 * nothing; reads go on, from a copy of the journal, since Hazelcast refuses even a read-only entry
 * processor then. A touch is refused too, and the topic's idle time counts on.
 *
 * <p>Used from one event loop: every callback comes back on the owning context.
 */
public final class TopicHistory {

  private final Vertx vertx;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final IMap<String, TopicJournal> logs;
  private final HistoryLimits limits;
  private final TopicCreation creation;

  public TopicHistory(Vertx vertx, HazelcastInstance hazelcast, SseServiceConfig config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.hazelcast = hazelcast;
    this.logs = hazelcast.getMap(HistoryMaps.HISTORY);
    this.limits = config.limits();
    this.creation = new TopicCreation(vertx, hazelcast, config);
  }

  /** An append's outcome: the event with its id, and whether its key had stored it already. */
  public record Appended(StoredEvent event, boolean replayed, boolean retained) {
  }

  /**
   * Appends an event under an idempotency key; the future holds it with its id once it is stored
   * with its backup. It fails with a {@link PublishRefusal} when the event is over the size a
   * topic's event may have, when the key stored another event, when the topic is new and
   * {@code creator} (null for a publisher that is never limited) may not create it, when
   * {@code deadline} (Hazelcast's cluster time, 0 for none) passes before it is stored, or when this
   * side of the cluster has too few data members to store it.
   */
  public Future<Appended> append(String topic, String type, String data, String key, String creator,
      long deadline) {
    byte[] bytes = AppendEvent.encode(data);
    if (LogEntry.bytes(type, bytes.length) > limits.maxEventBytes()) {
      return Future.failedFuture(new PublishRefusal(ErrorCode.TOO_LARGE, "The event is over the "
          + limits.maxEventBytes() + " bytes an event may take (half of SSE_HISTORY_MAX_BYTES_PER_TOPIC)"));
    }
    if (expired(deadline)) {
      return Future.failedFuture(lateRefusal());
    }
    return submit(topic, type, bytes, key, null, deadline)
        .compose(outcome -> outcome.status() != AppendOutcome.Status.ABSENT
            ? Future.succeededFuture(outcome)
            : creation.allow(topic, creator)
                .compose(v -> submit(topic, type, bytes, key, newEpoch(), deadline))
                .onComplete(ar -> creation.settled(topic, creator)))
        .compose(outcome -> appended(outcome, type, data));
  }

  /** Whether Hazelcast's cluster time is past {@code deadline}; never for 0, no deadline. */
  public boolean expired(long deadline) {
    return deadline != 0 && hazelcast.getCluster().getClusterTime() > deadline;
  }

  private Future<AppendOutcome> submit(String topic, String type, byte[] data, String key, String epoch,
      long deadline) {
    AppendEvent append = new AppendEvent(type, data, key, System.currentTimeMillis(), limits, epoch,
        deadline);
    return HazelcastFutures.call(() -> logs.submitToKey(topic, append), context)
        .recover(err -> Future.failedFuture(DataQuorum.refused(err) ? noQuorum() : err));
  }

  /** The member that owns the topic refused the append before running it: nothing is stored. */
  private static PublishRefusal noQuorum() {
    return new PublishRefusal(ErrorCode.NO_QUORUM, "Too few data members are in this part of the"
        + " cluster (CLUSTER_MIN_DATA_MEMBERS) to store the event; it was not stored, retry later");
  }

  private static PublishRefusal lateRefusal() {
    return new PublishRefusal(ErrorCode.TIMEOUT,
        "The publish came after its deadline: its gateway had given up waiting, so it was not stored");
  }

  private static Future<Appended> appended(AppendOutcome outcome, String type, String data) {
    if (outcome.status() == AppendOutcome.Status.EXPIRED) {
      return Future.failedFuture(lateRefusal());
    }
    if (outcome.status() == AppendOutcome.Status.CONFLICT) {
      return Future.failedFuture(new PublishRefusal(ErrorCode.IDEMPOTENCY_CONFLICT,
          "This Idempotency-Key was used for a different event on this topic"));
    }
    // A replay's key stored the same type and data: its hash says so.
    StoredEvent event = new StoredEvent(EventId.ofSequence(outcome.epoch(), outcome.sequence()), type, data);
    return Future.succeededFuture(new Appended(event, outcome.status() == AppendOutcome.Status.REPLAYED,
        outcome.retained()));
  }

  /**
   * Reads up to {@code limit} retained events after {@code after}, or from the oldest retained
   * one when {@code after} is null. A limit of 0 only reports the topic's tail.
   */
  public Future<HistoryPage> read(String topic, EventId after, int limit) {
    int count = Math.max(0, Math.min(limit, HistoryPage.MAX_EVENTS));
    String epoch = after == null ? null : after.equals(EventId.START) ? null : after.epoch();
    long from = after == null ? -1 : after.nextSequence();
    ReadEvents read = new ReadEvents(epoch, from, count, System.currentTimeMillis(), limits.ttlMillis());
    return HazelcastFutures.call(() -> logs.submitToKey(topic, read), context)
        .recover(err -> DataQuorum.refused(err) ? readCopy(topic, read) : Future.failedFuture(err))
        .map(slice -> slice == null ? empty(topic, after) : page(topic, after, slice, count));
  }

  /**
   * Reads a copy of the whole journal: slower, but a plain get is never refused for lack of members.
   * Without one, this side of a split cannot tell a topic that has no history from one whose copies
   * are all on the other side: the read is refused ({@code no-quorum}) rather than answered with a
   * loss that a client would act on.
   */
  private Future<LogSlice> readCopy(String topic, ReadEvents read) {
    return HazelcastFutures.call(() -> logs.getAsync(topic), context)
        .compose(journal -> journal == null ? Future.failedFuture(noQuorumRead())
            : Future.succeededFuture(read.process(new AbstractMap.SimpleImmutableEntry<>(topic, journal))));
  }

  private static PublishRefusal noQuorumRead() {
    return new PublishRefusal(ErrorCode.NO_QUORUM, "Too few data members are in this part of the cluster"
        + " (CLUSTER_MIN_DATA_MEMBERS) to know the topic's history; retry later");
  }

  /** Records that {@code topics} have subscribers now; topics without history stay without. */
  public Future<Void> touch(Set<String> topics) {
    return HazelcastFutures.call(() -> logs.submitToKeys(topics, new TouchTopic(System.currentTimeMillis())),
        context).mapEmpty();
  }

  /** Deletes a topic's history and keys; the future holds the deleted history's epoch, null for none. */
  public Future<String> delete(String topic) {
    return HazelcastFutures.call(() -> logs.submitToKey(topic, new DeleteTopic()), context);
  }

  /**
   * Deletes every topic without an event or a touch for {@code ttlMillis}, on a worker thread: it
   * visits every topic of the cluster. The future holds how many were deleted.
   */
  public Future<Integer> expireIdle(long ttlMillis) {
    ExpireIdleTopic expire = new ExpireIdleTopic(System.currentTimeMillis(), ttlMillis);
    return vertx.executeBlocking(() -> logs.executeOnEntries(expire).size());
  }

  private static HistoryPage empty(String topic, EventId after) {
    boolean lost = after != null && !after.equals(EventId.START);
    return new HistoryPage(topic, EventId.START, lost, lost ? HistoryPage.UNKNOWN : null, EventId.START,
        List.of(), false);
  }

  private static HistoryPage page(String topic, EventId after, LogSlice slice, int count) {
    String epoch = slice.epoch();
    long head = slice.head();
    long tail = slice.tail();
    long start = head;
    String lostReason = null;
    if (after != null) {
      boolean sameHistory = after.epoch().equals(epoch) || after.equals(EventId.START);
      long next = after.nextSequence();
      if (!sameHistory && slice.merged()) {
        lostReason = HistoryPage.MERGED;
      } else if (!sameHistory || next > tail + 1) {
        lostReason = HistoryPage.UNKNOWN;
      } else if (next < head) {
        lostReason = HistoryPage.EXPIRED;
      } else {
        start = next;
      }
    }
    EventId tailId = tail < 0 ? new EventId(epoch, 0) : EventId.ofSequence(epoch, tail);
    List<StoredEvent> events = new ArrayList<>(slice.entries().size());
    for (LogEntry entry : slice.entries()) {
      events.add(new StoredEvent(EventId.ofSequence(epoch, entry.sequence()), entry.type(), entry.text()));
    }
    long last = events.isEmpty() ? start - 1 : slice.entries().get(events.size() - 1).sequence();
    return new HistoryPage(topic, tailId, lostReason != null, lostReason, new EventId(epoch, start),
        events, count > 0 && last < tail);
  }

  private static String newEpoch() {
    String epoch;
    do {
      epoch = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    } while (epoch.equals(EventId.NO_EPOCH));
    return epoch;
  }
}
