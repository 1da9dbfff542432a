package io.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.sse.HistoryPage;
import io.switchboard.common.sse.HistoryRequest;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.sse.TopicTouch;
import io.switchboard.common.sse.Topics;
import io.switchboard.common.sse.history.HistoryMaps;
import io.switchboard.common.sse.history.TopicJournal;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What sse-service keeps of each topic, on one cluster member of its own: topics without events
 * or subscribers expire, history keeps within its byte budget, and a creator may create only so
 * many topics. Each test uses topics of its own.
 */
class TopicBoundsTest {

  private static final int TTL_SECONDS = 4;
  private static final int BYTES_PER_TOPIC = 8192;
  private static final int BURST = 3;
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestCluster cluster;
  private static EventBus bus;
  private static IMap<String, TopicJournal> logs;

  @BeforeAll
  static void oneMember() {
    cluster = new TestCluster();
    ClusterNode node = cluster.startNode();
    bus = node.vertx().eventBus();
    logs = node.hazelcast().getMap(HistoryMaps.HISTORY);
    SseServiceConfig config = SseServiceConfig.from(new Env(Map.of(
        "SSE_TOPIC_TTL_SECONDS", String.valueOf(TTL_SECONDS),
        "PUBLISH_IDEMPOTENCY_WINDOW_SECONDS", "1",
        "SSE_HISTORY_MAX_BYTES_PER_TOPIC", String.valueOf(BYTES_PER_TOPIC),
        "SSE_HISTORY_MAX_BYTES", String.valueOf(BYTES_PER_TOPIC * 50),
        "SSE_TOPIC_CREATE_RATE_PER_MINUTE", "1",
        "SSE_TOPIC_CREATE_BURST", String.valueOf(BURST),
        "SSE_TICK_INTERVAL_MS", "100")));
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

  private static ReplyException refusal(PublishRequest publish) {
    Throwable failure = TestCluster.await(bus.request(Addresses.SSE_PUBLISH, publish.toJson(), TIMEOUT)
        .map(reply -> (Throwable) null).otherwise(err -> err));
    return assertInstanceOf(ReplyException.class, failure);
  }

  private static String publish(PublishRequest publish) {
    return PublishReply.fromJson(request(Addresses.SSE_PUBLISH, publish.toJson())).id();
  }

  private static String publish(String topic, String data) {
    return publish(new PublishRequest(topic, null, data, null));
  }

  private static HistoryPage history(String topic, String after) {
    return HistoryPage.fromJson(request(Addresses.SSE_HISTORY, new HistoryRequest(topic, after, 100).toJson()));
  }

  /** Polls {@code condition} on the test thread, doing {@code meanwhile} between polls. */
  private static void await(BooleanSupplier condition, Runnable meanwhile, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      meanwhile.run();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aTopicWithoutEventsOrSubscribersExpiresAndAResumeAgainstItIsUnknown() {
    String topic = topic();
    String id = publish(topic, "1");
    int withIt = logs.size();
    assertTrue(logs.containsKey(topic));
    await(() -> !logs.containsKey(topic), () -> { }, "the idle topic deleted");
    assertTrue(logs.size() < withIt, "the topic count fell");
    HistoryPage page = history(topic, id);
    assertTrue(page.lost());
    assertEquals(HistoryPage.UNKNOWN, page.lostReason());
    assertTrue(page.events().isEmpty());
  }

  @Test
  void aTopicAGatewayReportsSubscribedDoesNotExpireNorDoesTheTickerTopic() {
    String subscribed = topic();
    String idle = topic();
    publish(subscribed, "1");
    publish(idle, "1");
    JsonObject touch = new TopicTouch(List.of(subscribed)).toJson();
    // The idle topic's deletion is the signal: by then the subscribed one was idle as long.
    await(() -> !logs.containsKey(idle), () -> bus.send(Addresses.SSE_TOUCH, touch), "the idle topic deleted");
    assertTrue(logs.containsKey(subscribed), "the subscribed topic is kept");
    assertTrue(logs.containsKey(Topics.TICKS), "the ticker's topic is kept");
    assertFalse(history(subscribed, null).events().isEmpty(), "with its history");
  }

  @Test
  void pastItsByteBudgetATopicForgetsItsOldestEventsAndAResumePastThemExpired() {
    String topic = topic();
    String first = publish(topic, "\"" + "x".repeat(1000) + "\"");
    String last = first;
    for (int i = 0; i < 20; i++) {
      last = publish(topic, "\"" + i + "x".repeat(1000) + "\"");
    }
    HistoryPage page = history(topic, first);
    assertTrue(page.lost());
    assertEquals(HistoryPage.EXPIRED, page.lostReason());
    assertTrue(page.events().size() < 20, page.events().size() + " events retained");
    assertEquals(last, page.events().get(page.events().size() - 1).id().toString(), "the newest stays");
    int tooLarge = refusal(new PublishRequest(topic, null, "\"" + "x".repeat(BYTES_PER_TOPIC) + "\"", null))
        .failureCode();
    assertEquals(ErrorCode.TOO_LARGE.busCode(), tooLarge);
  }

  @Test
  void aCreatorPastItsBurstCannotCreateTopicsButPublishesToExistingOnes() {
    String creator = "192.0.2." + (int) (Math.random() * 250);
    String existing = topic();
    publish(new PublishRequest(existing, null, "1", null, null, creator, false));
    for (int i = 1; i < BURST; i++) {
      publish(new PublishRequest(topic(), null, "1", null, null, creator, false));
    }
    ReplyException refused = refusal(new PublishRequest(topic(), null, "1", null, null, creator, false));
    assertEquals(ErrorCode.TOPIC_CREATION_LIMITED.busCode(), refused.failureCode());
    publish(new PublishRequest(existing, null, "2", null, null, creator, false));
    publish(new PublishRequest(topic(), null, "1", null, null, creator, true));
    publish(new PublishRequest(topic(), null, "1", null, null, creator + "0", false));
  }

  @Test
  void publishesRacingToCreateOneTopicTakeOneCreationToken() {
    String creator = "198.51.100." + (int) (Math.random() * 250);
    String topic = topic();
    List<Future<Message<Object>>> racing = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      racing.add(bus.request(Addresses.SSE_PUBLISH,
          new PublishRequest(topic, null, String.valueOf(i), null, null, creator, false).toJson(), TIMEOUT));
    }
    TestCluster.await(Future.all(racing));
    assertEquals(10, history(topic, null).events().size());
    for (int i = 1; i < BURST; i++) {
      publish(new PublishRequest(topic(), null, "1", null, null, creator, false));
    }
    assertEquals(ErrorCode.TOPIC_CREATION_LIMITED.busCode(),
        refusal(new PublishRequest(topic(), null, "1", null, null, creator, false)).failureCode());
  }
}
