package io.switchboard.gateway.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.TestLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A topic's feed without any transport: order, references and the end of a history. */
class TopicFeedTest {

  private static final String TOPIC = "prices";

  private final Vertx vertx = Vertx.vertx();
  private final TestLoop loop = new TestLoop(vertx.getOrCreateContext());
  private final MemoryTopicLog log = new MemoryTopicLog();
  private final List<CountedEvent> made = new ArrayList<>();
  private final Recorder subscriber = new Recorder();
  private TopicFeed<CountedEvent> feed;

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void passesEventsOnInOrderOnceEachAndGivesBackEveryReference() {
    loop.call(() -> {
      startFeed();
      List<StoredEvent> stored = List.of(store("1"), store("2"), store("3"));
      log.publish(TOPIC, stored.get(2));
      log.publish(TOPIC, stored.get(0));
      log.publish(TOPIC, stored.get(0));
      log.publish(TOPIC, stored.get(1));
      return null;
    });
    assertEquals(List.of("ep1-1", "ep1-2", "ep1-3"), loop.call(() -> subscriber.received));
    loop.call(() -> {
      made.forEach(event -> assertEquals(0, event.references, event.id() + " still referenced"));
      return null;
    });
  }

  @Test
  void endsItsSubscribersAndLetsGoOfTheTopicWhenItsHistoryIsReplaced() {
    loop.call(() -> {
      startFeed();
      log.publish(TOPIC, store("1"));
      log.replace(TOPIC);
      log.publish(TOPIC, store("2"));
      return null;
    });
    assertEquals(List.of("ep1-1"), loop.call(() -> subscriber.received));
    assertEquals(1, loop.call(() -> subscriber.ended));
    assertFalse(loop.call(() -> log.subscribed(TOPIC)), "the feed stopped listening");
  }

  @Test
  void aLateEventOfAnEpochTheHistoryNoLongerFollowsEndsNoSubscriber() {
    loop.call(() -> {
      startFeed();
      log.publish(TOPIC, store("1"));
      log.publish(TOPIC, new StoredEvent(new EventId("replaced", 7), null, "late"));
      log.publish(TOPIC, store("2"));
      return null;
    });
    assertEquals(List.of("ep1-1", "ep1-2"), loop.call(() -> subscriber.received));
    assertEquals(0, loop.call(() -> subscriber.ended));
    assertTrue(loop.call(() -> log.subscribed(TOPIC)), "the feed still listens");
  }

  @Test
  void aLateEventOfAnotherEpochThatCameBeforeTheFeedKnewWhereTheTopicStoodIsNotDelivered() {
    Promise<EventId> tail = Promise.promise();
    TopicLog slowTail = new TopicLog() {
      @Override
      public Future<PublishReply> append(PublishRequest request) {
        return log.append(request);
      }

      @Override
      public Future<HistoryPage> read(String topic, String after, int limit) {
        return log.read(topic, after, limit);
      }

      @Override
      public Future<EventId> tail(String topic) {
        return tail.future();
      }

      @Override
      public Future<Boolean> delete(String topic) {
        return log.delete(topic);
      }

      @Override
      public void subscribe(String topic, TopicListener listener) {
        log.subscribe(topic, listener);
      }

      @Override
      public void unsubscribe(String topic, TopicListener listener) {
        log.unsubscribe(topic, listener);
      }
    };
    loop.call(() -> {
      StoredEvent first = store("1");
      startFeed(slowTail);
      log.publish(TOPIC, new StoredEvent(new EventId("replaced", 2), null, "late"));
      tail.complete(first.id());
      log.publish(TOPIC, store("2"));
      return null;
    });
    assertEquals(List.of("ep1-2"), loop.call(() -> subscriber.received));
    assertEquals(0, loop.call(() -> subscriber.ended));
  }

  @Test
  void aQuietFeedChecksItsHistoryAgainAfterMembersJoinAndEndsItsSubscribersWhenItWasReplaced() {
    loop.call(() -> {
      startFeed();
      log.publish(TOPIC, store("1"));
      // Two quiet periods: the second reads the history after the last event once.
      feed.sync();
      feed.sync();
      // A merge replaces the history without a live event; quiet periods alone do not look again.
      log.replace(TOPIC);
      feed.sync();
      feed.sync();
      return null;
    });
    assertEquals(0, loop.call(() -> subscriber.ended), "no second look without a join");
    loop.call(() -> {
      feed.onMembersJoined();
      feed.sync();
      return null;
    });
    assertEquals(List.of("ep1-1"), loop.call(() -> subscriber.received));
    assertEquals(1, loop.call(() -> subscriber.ended), "ended after the join, to resume and learn why");
  }

  private void startFeed() {
    startFeed(log);
  }

  private void startFeed(TopicLog topicLog) {
    feed = new TopicFeed<>(TOPIC, vertx, topicLog, new FeedLimits(8, Duration.ofMillis(50)), this::make,
        new RateMeter(), () -> { }, () -> { });
    feed.add(subscriber);
    feed.start();
  }

  private StoredEvent store(String data) {
    return log.store(TOPIC, null, data);
  }

  private CountedEvent make(StoredEvent stored) {
    CountedEvent event = new CountedEvent(stored.id());
    made.add(event);
    return event;
  }

  /** An event that counts its references, as a transport's encoded bytes would. */
  private static final class CountedEvent implements TopicEvent {
    private final EventId id;
    private int references = 1;

    CountedEvent(EventId id) {
      this.id = id;
    }

    @Override
    public EventId id() {
      return id;
    }

    @Override
    public TopicEvent retain() {
      references++;
      return this;
    }

    @Override
    public void release() {
      references--;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public int enqueued() {
      return 1;
    }

    @Override
    public int dequeued() {
      return 0;
    }
  }

  /** A subscriber that keeps the ids it was offered. */
  private static final class Recorder implements TopicSubscriber<CountedEvent> {
    private final List<String> received = new ArrayList<>();
    private int ended;

    @Override
    public void offer(CountedEvent event) {
      received.add(event.id().toString());
    }

    @Override
    public Future<Void> end() {
      ended++;
      return Future.succeededFuture();
    }

    @Override
    public void drop() {
      ended++;
    }
  }
}
