package io.switchboard.gateway.sse;

import io.switchboard.gateway.node.SseConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.TestLoop;
import io.switchboard.gateway.topic.MemoryTopicLog;
import io.switchboard.gateway.topic.QueuedBytes;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A topic's SSE streams over the in-memory topic log: order, gaps, resume and slow clients, as the
 * frames a client reads.
 */
class TopicStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TOPIC = "prices";
  private static final int QUEUE_MAX = 4;

  private final Vertx vertx = Vertx.vertx();
  private final TestLoop loop = new TestLoop(vertx.getOrCreateContext());
  private final MemoryTopicLog log = new MemoryTopicLog();
  private final StreamCounts counts = new StreamCounts();
  private final SseHub hub = hub(new QueuedBytes(1 << 20));

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void eventsThatArriveOutOfOrderAreHeldUntilTheGapIsFilled() throws Exception {
    FakeResponse client = open(null);
    List<StoredEvent> events = loop.call(() -> List.of(store("1"), store("2"), store("3")));
    loop.call(() -> {
      log.publish(TOPIC, events.get(2));
      log.publish(TOPIC, events.get(1));
      log.publish(TOPIC, events.get(0));
      return null;
    });
    for (StoredEvent event : events) {
      assertEquals(frame(event), client.next(WAIT));
    }
  }

  @Test
  void aGapStillOpenAfterTheWaitIsFilledFromHistory() throws Exception {
    FakeResponse client = open(null);
    // The first event is stored but never published, as by an sse-service instance that died.
    StoredEvent lost = loop.call(() -> store("1"));
    StoredEvent next = loop.call(() -> append("2"));
    assertEquals(frame(lost), client.next(WAIT));
    assertEquals(frame(next), client.next(WAIT));
  }

  @Test
  void duplicatesAreDeliveredOnce() throws Exception {
    FakeResponse client = open(null);
    StoredEvent first = loop.call(() -> append("1"));
    loop.call(() -> {
      log.publish(TOPIC, first);
      return null;
    });
    StoredEvent second = loop.call(() -> append("2"));
    assertEquals(frame(first), client.next(WAIT));
    assertEquals(frame(second), client.next(WAIT));
  }

  @Test
  void aResumeAfterAnExpiredIdReportsTheLossThenTheRetainedEvents() throws Exception {
    List<StoredEvent> events = loop.call(() -> {
      List<StoredEvent> stored = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        stored.add(append(String.valueOf(i)));
      }
      log.expire(TOPIC, 3);
      return stored;
    });
    String epoch = events.get(0).id().epoch();
    FakeResponse client = open(epoch + "-1");
    assertEquals(lostFrame(epoch + "-3", epoch + "-1", "expired"), client.next(WAIT));
    assertEquals(frame(events.get(3)), client.next(WAIT));
    assertEquals(frame(events.get(4)), client.next(WAIT));
  }

  @Test
  void aResumedStreamWhoseHistoryCannotBeReadSaysTheServiceIsUnavailableAndEnds() throws Exception {
    StoredEvent seen = loop.call(() -> {
      StoredEvent stored = append("1");
      log.failResumes();
      return stored;
    });
    FakeResponse client = open(seen.id().toString());
    assertEquals(": error service-unavailable\n\n", client.next(WAIT));
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aReplacedHistoryEndsTheStreamsAndTheirResumeReportsTheLossAsUnknown() throws Exception {
    FakeResponse client = open(null);
    StoredEvent before = loop.call(() -> append("1"));
    assertEquals(frame(before), client.next(WAIT));
    StoredEvent after = loop.call(() -> {
      log.replace(TOPIC);
      return append("2");
    });
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    FakeResponse resumed = open(before.id().toString());
    assertEquals(lostFrame(after.id().epoch() + "-0", before.id().toString(), "unknown"), resumed.next(WAIT));
    assertEquals(frame(after), resumed.next(WAIT));
  }

  @Test
  void aSlowStreamWhoseQueueOverflowsIsClosedAndItsClientResumesWithEveryEvent() throws Exception {
    FakeResponse client = open(null);
    StoredEvent seen = loop.call(() -> append("0"));
    assertEquals(frame(seen), client.next(WAIT));
    List<StoredEvent> missed = loop.call(() -> {
      client.fill();
      List<StoredEvent> stored = new ArrayList<>();
      for (int i = 1; i <= QUEUE_MAX + 1; i++) {
        stored.add(append(String.valueOf(i)));
      }
      return stored;
    });
    client.reset().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    FakeResponse resumed = open(seen.id().toString());
    for (StoredEvent event : missed) {
      assertEquals(frame(event), resumed.next(WAIT));
    }
  }

  @Test
  void theLastStreamToLeaveReleasesItsTopicAtOnce() throws Exception {
    FakeResponse client = new FakeResponse();
    SseStream stream = loop.call(() -> hub.open(TOPIC, client.request(), client.response(), null, () -> { }));
    assertEquals(": stream " + TOPIC + "\n\n", client.next(WAIT));
    assertEquals("id: " + EventId.START + "\n\n", client.next(WAIT));
    assertTrue(loop.call(() -> hub.follows(TOPIC)));
    loop.call(() -> stream.end());
    assertFalse(loop.call(() -> log.subscribed(TOPIC)), "the topic's feed stopped listening");
    assertFalse(loop.call(() -> hub.follows(TOPIC)), "the hub forgot the topic's feed");
    assertEquals(0, counts.subscriberCount(TOPIC));
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aStreamEndedOnShutdownGetsAReconnectEventWithoutAnIdAfterItsEventsThenEnds() throws Exception {
    FakeResponse client = new FakeResponse();
    SseStream stream = loop.call(() -> hub.open(TOPIC, client.request(), client.response(), null, () -> { }));
    assertEquals(": stream " + TOPIC + "\n\n", client.next(WAIT));
    assertEquals("id: " + EventId.START + "\n\n", client.next(WAIT));
    StoredEvent last = loop.call(() -> append("1"));
    assertEquals(frame(last), client.next(WAIT));
    loop.call(() -> stream.reconnect());
    String reconnect = client.next(WAIT);
    assertTrue(reconnect.matches("event: reconnect\nretry: \\d+\ndata: \\{\"reason\":\"shutdown\"}\n\n"),
        reconnect);
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertFalse(loop.call(() -> hub.follows(TOPIC)), "the ended stream left its topic");
  }

  @Test
  void aLiveStreamOfAnEmptyTopicGivesThePositionBeforeItsFirstEventToResumeFrom() throws Exception {
    FakeResponse client = new FakeResponse();
    SseStream stream = loop.call(() -> hub.open(TOPIC, client.request(), client.response(), null, () -> { }));
    assertEquals(": stream " + TOPIC + "\n\n", client.next(WAIT));
    assertEquals("id: " + EventId.START + "\n\n", client.next(WAIT), "an id alone, with no data");
    loop.call(() -> stream.end());
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    // Published while the client was away: its resume from the position gets it.
    StoredEvent first = loop.call(() -> append("1"));

    FakeResponse resumed = open(EventId.START.toString());
    assertEquals(frame(first), resumed.next(WAIT));
  }

  @Test
  void aLiveStreamOfATopicWithEventsGivesItsNewestIdToResumeFrom() throws Exception {
    loop.call(() -> append("1"));
    StoredEvent newest = loop.call(() -> append("2"));
    FakeResponse client = new FakeResponse();
    SseStream stream = loop.call(() -> hub.open(TOPIC, client.request(), client.response(), null, () -> { }));
    assertEquals(": stream " + TOPIC + "\n\n", client.next(WAIT));
    assertEquals("id: " + newest.id() + "\n\n", client.next(WAIT));
    loop.call(() -> stream.end());
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    StoredEvent missed = loop.call(() -> append("3"));

    FakeResponse resumed = open(newest.id().toString());
    assertEquals(frame(missed), resumed.next(WAIT));
  }

  @Test
  void aTopicNeverPublishedToCountsAsExistingOnlyFromItsFirstEvent() throws Exception {
    FakeResponse client = open(null);
    assertEquals(Map.of(TOPIC, 1), counts.subscribersByTopic());
    assertEquals(Map.of(), counts.subscribersByExistingTopic());
    StoredEvent first = loop.call(() -> append("1"));
    assertEquals(frame(first), client.next(WAIT));
    assertEquals(Map.of(TOPIC, 1), counts.subscribersByExistingTopic());
  }

  @Test
  void aTopicWithHistoryCountsAsExistingWhileItHasStreams() throws Exception {
    StoredEvent first = loop.call(() -> append("1"));
    FakeResponse client = new FakeResponse();
    SseStream stream = loop.call(() -> hub.open(TOPIC, client.request(), client.response(), null, () -> { }));
    assertEquals(": stream " + TOPIC + "\n\n", client.next(WAIT));
    assertEquals("id: " + first.id() + "\n\n", client.next(WAIT));
    // The feed learns from the topic's tail that it exists, with no new event.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!counts.subscribersByExistingTopic().equals(Map.of(TOPIC, 1))) {
      assertTrue(System.nanoTime() < deadline, "the topic was never counted as existing");
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    loop.call(() -> stream.end());
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(Map.of(), counts.subscribersByExistingTopic());
  }

  @Test
  void slowStreamsHoldEachEventOnceWithinTheGatewaysBudgetAndAreCutPastIt() throws Exception {
    // The events the topic will store, the first of its log: their sizes set the budget.
    List<StoredEvent> expected = List.of(new StoredEvent(new EventId("ep1", 1), null, "first"),
        new StoredEvent(new EventId("ep1", 2), null, "second"), new StoredEvent(new EventId("ep1", 3), null, "third"));
    int[] sizes = expected.stream().mapToInt(TopicStreamTest::size).toArray();
    // Two events fit, once each: three streams that counted them three times each would not.
    QueuedBytes queued = new QueuedBytes(sizes[0] + sizes[1] + sizes[2] / 2);
    SseHub small = hub(queued);
    List<FakeResponse> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slow.add(open(small, TOPIC, null));
    }
    FakeResponse other = open(small, "other", null);
    List<StoredEvent> events = loop.call(() -> List.of(store("first"), store("second"), store("third")));
    assertEquals(expected, events);
    loop.call(() -> {
      slow.forEach(FakeResponse::fill);
      log.publish(TOPIC, events.get(0));
      log.publish(TOPIC, events.get(1));
      return null;
    });
    assertEquals(sizes[0] + sizes[1], loop.call(queued::held).longValue(), "two events held, once each");
    for (FakeResponse client : slow) {
      assertFalse(client.reset().isDone(), "the streams within the budget stay open");
    }

    loop.call(() -> {
      log.publish(TOPIC, events.get(2));
      return null;
    });
    for (FakeResponse client : slow) {
      client.reset().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    assertEquals(0, loop.call(queued::held).longValue(), "the cut streams let their events go");
    String meanwhile = loop.call(() -> log.append("other", null, "still here", null, null).result().id());
    assertEquals("id: " + meanwhile + "\ndata: still here\n\n", other.next(WAIT),
        "a stream that keeps up goes on");
    FakeResponse resumed = open(small, TOPIC, EventId.START.toString());
    for (StoredEvent event : events) {
      assertEquals(frame(event), resumed.next(WAIT));
    }
  }

  private SseHub hub(QueuedBytes queued) {
    return new SseHub(vertx,
        new SseConfig(Duration.ofHours(1), QUEUE_MAX, 65536, Duration.ofSeconds(1), Duration.ofMillis(50),
            Duration.ofHours(1), 1 << 20, 1 << 20),
        log, counts, queued, new RateMeter());
  }

  private static int size(StoredEvent stored) {
    LiveEvent event = LiveEvent.of(stored);
    try {
      return event.size();
    } finally {
      event.release();
    }
  }

  private FakeResponse open(String lastEventId) throws Exception {
    return open(hub, TOPIC, lastEventId);
  }

  private FakeResponse open(SseHub on, String topic, String lastEventId) throws Exception {
    FakeResponse client = loop.call(() -> {
      FakeResponse response = new FakeResponse();
      on.open(topic, response.request(), response.response(), lastEventId, () -> { });
      return response;
    });
    assertEquals(": stream " + topic + "\n\n", client.next(WAIT));
    if (lastEventId == null) {
      String position = client.next(WAIT);
      assertTrue(position.matches("id: [^\n]+\n\n"), position);
    }
    return client;
  }

  private StoredEvent store(String data) {
    return log.store(TOPIC, null, data);
  }

  /** Stores and publishes an event; the in-memory log answers at once. */
  private StoredEvent append(String data) {
    String id = log.append(TOPIC, null, data, null, null).result().id();
    return new StoredEvent(EventId.parse(id).orElseThrow(), null, data);
  }

  private static String frame(StoredEvent event) {
    return "id: " + event.id() + "\ndata: " + event.data() + "\n\n";
  }

  private static String lostFrame(String id, String lastEventId, String reason) {
    return "id: " + id + "\nevent: history-lost\ndata: {\"topic\":\"" + TOPIC + "\",\"lastEventId\":\""
        + lastEventId + "\",\"reason\":\"" + reason + "\"}\n\n";
  }
}
