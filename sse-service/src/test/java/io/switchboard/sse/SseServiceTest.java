package io.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.HistoryRequest;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.PublishedEvent;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.sse.Topics;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sse-service as the gateways use it, on one cluster member of its own: publish requests are
 * stored and then published to every gateway, history pages are read back by id, and idempotency
 * keys store an event once. Each test uses topics of its own.
 */
class SseServiceTest {

  private static final int HISTORY_SIZE = 5;
  private static final int MAX_TOPICS = 50;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private static TestCluster cluster;
  private static EventBus bus;
  /** What a gateway receives on the cluster-wide events address. */
  private static final BlockingQueue<JsonObject> published = new LinkedBlockingQueue<>();

  @BeforeAll
  static void oneMember() {
    cluster = new TestCluster();
    ClusterNode node = cluster.startNode();
    bus = node.vertx().eventBus();
    SseServiceConfig config = SseServiceConfig.from(new Env(Map.of(
        "SSE_HISTORY_SIZE", String.valueOf(HISTORY_SIZE),
        "SSE_MAX_TOPICS", String.valueOf(MAX_TOPICS),
        "SSE_TICK_INTERVAL_MS", "100")));
    TestCluster.await(bus.<JsonObject>consumer(Addresses.SSE_EVENTS, m -> published.add(m.body())).completion());
    TestCluster.await(node.vertx().deployVerticle(new SseVerticle(node.nodeId(), node.hazelcast(), config)));
  }

  @AfterAll
  static void close() {
    cluster.close();
  }

  private static String topic() {
    return "t-" + UUID.randomUUID();
  }

  private static JsonObject request(String address, JsonObject body) {
    return TestCluster.await(bus.<JsonObject>request(address, body, TIMEOUT).map(Message::body));
  }

  private static ReplyException refusal(String address, JsonObject body) {
    Throwable failure = TestCluster.await(bus.request(address, body, TIMEOUT)
        .map(reply -> (Throwable) null).otherwise(err -> err));
    return assertInstanceOf(ReplyException.class, failure);
  }

  private static PublishReply publish(String topic, String data, String key) {
    return PublishReply.fromJson(request(Addresses.SSE_PUBLISH,
        new PublishRequest(topic, null, data, key).toJson()));
  }

  private static HistoryPage history(String topic, String after) {
    return HistoryPage.fromJson(request(Addresses.SSE_HISTORY, new HistoryRequest(topic, after, 100).toJson()));
  }

  /** The next event of {@code topic} on the events address; other topics' events are skipped. */
  private static StoredEvent nextPublished(String topic) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonObject event = published.poll(100, TimeUnit.MILLISECONDS);
      if (event != null && topic.equals(PublishedEvent.topicOf(event))) {
        return StoredEvent.fromJson(event);
      }
    }
    throw new AssertionError("no event of " + topic + " was published");
  }

  @Test
  void aPublishPastItsDeadlineStoresNothingAndAnswersTimeout() {
    String topic = topic();
    // A single member is the master: its cluster time is its own clock.
    long past = System.currentTimeMillis() - 1_000;
    ReplyException late = refusal(Addresses.SSE_PUBLISH,
        new PublishRequest(topic, null, "\"late\"", "key-1").withDeadline(past).toJson());
    assertEquals(ErrorCode.TIMEOUT.busCode(), late.failureCode());
    // The client's retry, in time, stores the event as the topic's first: nothing was stored before.
    PublishReply retry = PublishReply.fromJson(request(Addresses.SSE_PUBLISH,
        new PublishRequest(topic, null, "\"late\"", "key-1")
            .withDeadline(System.currentTimeMillis() + 10_000).toJson()));
    assertFalse(retry.replayed());
    assertTrue(retry.id().endsWith("-1"), retry.id());
  }

  @Test
  void aStoredEventIsPublishedToTheGatewaysWithItsId() throws InterruptedException {
    String topic = topic();
    PublishReply reply = publish(topic, "\"hello\"", null);
    assertEquals(topic, reply.topic());
    assertFalse(reply.replayed());
    StoredEvent event = nextPublished(topic);
    assertEquals(reply.id(), event.id().toString());
    assertEquals("\"hello\"", event.data());
  }

  @Test
  void historyAfterAnIdHoldsTheLaterEventsInOrder() {
    String topic = topic();
    String first = publish(topic, "1", null).id();
    String second = publish(topic, "2", null).id();
    String third = publish(topic, "3", null).id();
    HistoryPage page = history(topic, first);
    assertFalse(page.lost());
    assertEquals(2, page.events().size());
    assertEquals(second, page.events().get(0).id().toString());
    assertEquals(third, page.events().get(1).id().toString());
    assertEquals(third, page.tail().toString());
    assertTrue(history(topic, third).events().isEmpty(), "nothing after the tail");
  }

  @Test
  void aResumeOlderThanTheHistoryIsReportedLostWithWhatIsRetained() {
    String topic = topic();
    String first = publish(topic, "0", null).id();
    for (int i = 1; i <= HISTORY_SIZE + 2; i++) {
      publish(topic, String.valueOf(i), null);
    }
    HistoryPage page = history(topic, first);
    assertTrue(page.lost());
    assertEquals(HistoryPage.EXPIRED, page.lostReason());
    assertEquals(HISTORY_SIZE, page.events().size());
    StoredEvent oldest = page.events().get(0);
    assertEquals(String.valueOf(3), oldest.data(), "the oldest events went first");
  }

  @Test
  void anIdThatDoesNotParseIsReportedUnknown() {
    String topic = topic();
    publish(topic, "1", null);
    HistoryPage page = history(topic, "not-an-id");
    assertTrue(page.lost());
    assertEquals(HistoryPage.UNKNOWN, page.lostReason());
    assertEquals(1, page.events().size());
  }

  @Test
  void aRetriedKeyStoresTheEventOnceAndAnswersWithItsId() {
    String topic = topic();
    PublishReply first = publish(topic, "\"once\"", "key-1");
    PublishReply again = publish(topic, "\"once\"", "key-1");
    assertFalse(first.replayed());
    assertTrue(again.replayed());
    assertEquals(first.id(), again.id());
    assertEquals(1, history(topic, null).events().size());
    PublishReply other = publish(topic, "\"once\"", "key-2");
    assertNotEquals(first.id(), other.id(), "another key is another event");
  }

  @Test
  void aKeyReusedForAnotherEventIsAConflict() {
    String topic = topic();
    publish(topic, "\"first\"", "key-1");
    ReplyException conflict = refusal(Addresses.SSE_PUBLISH,
        new PublishRequest(topic, null, "\"second\"", "key-1").toJson());
    assertEquals(ErrorCode.IDEMPOTENCY_CONFLICT.busCode(), conflict.failureCode());
    assertEquals(1, history(topic, null).events().size(), "the conflicting event is not stored");
  }

  @Test
  void theSameKeyInTwoScopesStoresTwoEventsAndReplaysEachInItsOwn() {
    String topic = topic();
    PublishReply alice = scopedPublish(topic, "user:alice", "key-1");
    PublishReply bob = scopedPublish(topic, "user:bob", "key-1");
    PublishReply shared = scopedPublish(topic, null, "key-1");
    assertFalse(bob.replayed(), "another scope's key does not replay");
    assertFalse(shared.replayed(), "nor does the shared scope's");
    assertNotEquals(alice.id(), bob.id());
    assertEquals(3, history(topic, null).events().size());
    PublishReply again = scopedPublish(topic, "user:alice", "key-1");
    assertTrue(again.replayed());
    assertEquals(alice.id(), again.id());
  }

  private static PublishReply scopedPublish(String topic, String scope, String key) {
    return PublishReply.fromJson(request(Addresses.SSE_PUBLISH,
        new PublishRequest(topic, null, "\"same\"", key, scope).toJson()));
  }

  @Test
  void malformedRequestsAreRefusedWithTheirCode() {
    assertEquals(ErrorCode.BAD_TOPIC.busCode(), refusal(Addresses.SSE_PUBLISH,
        new PublishRequest("bad topic!", null, "1", null).toJson()).failureCode());
    assertEquals(ErrorCode.BAD_TOPIC.busCode(), refusal(Addresses.SSE_PUBLISH,
        new PublishRequest(Topics.TICKS, null, "1", null).toJson()).failureCode(), "ticks is the server's");
    assertEquals(ErrorCode.BAD_REQUEST.busCode(), refusal(Addresses.SSE_PUBLISH,
        new PublishRequest(topic(), null, "1", "").toJson()).failureCode(), "an empty key");
    assertEquals(ErrorCode.BAD_REQUEST.busCode(), refusal(Addresses.SSE_PUBLISH,
        new PublishRequest(topic(), null, "1", "k", "").toJson()).failureCode(), "an empty scope");
    assertEquals(ErrorCode.BAD_REQUEST.busCode(), refusal(Addresses.SSE_HISTORY,
        new HistoryRequest(topic(), null, -1).toJson()).failureCode());
  }

  @Test
  void theTickerPublishesTicksWithIncreasingIds() throws InterruptedException {
    published.clear();
    StoredEvent first = nextPublished(Topics.TICKS);
    StoredEvent second = nextPublished(Topics.TICKS);
    assertTrue(second.id().position() > first.id().position(), first.id() + " then " + second.id());
    assertTrue(history(Topics.TICKS, first.id().toString()).events().stream()
        .anyMatch(e -> e.id().equals(second.id())), "the ticks are stored");
    assertNull(first.event(), "ticks are untyped");
  }
}
