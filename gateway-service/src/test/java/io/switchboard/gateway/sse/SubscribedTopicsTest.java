package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.sse.TopicTouch;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway tells sse-service which topics it has streams of: at once when a topic's first stream
 * opens on the node, and every quarter of the topic TTL for all of them, never for topics whose
 * streams ended.
 */
class SubscribedTopicsTest {

  private final Vertx vertx = Vertx.vertx();
  private final BlockingQueue<TopicTouch> touches = new LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  private TopicTouch nextTouch() throws InterruptedException {
    TopicTouch touch = touches.poll(10, TimeUnit.SECONDS);
    if (touch == null) {
      throw new AssertionError("no topics were reported");
    }
    return touch;
  }

  @Test
  void aTopicIsReportedWhenItsFirstStreamOpensAndThenPeriodicallyWhileItHasStreams() throws Exception {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SSE_TOUCH,
        message -> touches.add(TopicTouch.fromJson(message.body()))).completion());
    StreamCounts counts = new StreamCounts();
    SubscribedTopics subscribed = new SubscribedTopics(vertx, Duration.ofSeconds(2), counts);
    subscribed.start();

    counts.feedOpened("prices");
    assertEquals(List.of("prices"), nextTouch().topics(), "reported at once");
    counts.feedOpened("prices");
    counts.feedOpened("news");
    assertEquals(List.of("news"), nextTouch().topics(), "only a topic new to the node is reported at once");

    assertEquals(Set.of("prices", "news"), Set.copyOf(nextTouch().topics()), "then all, periodically");
    counts.feedClosed("news", false);
    // A report of the remaining topic alone shows the ended one is left out.
    TopicTouch later = nextTouch();
    while (later.topics().size() > 1) {
      later = nextTouch();
    }
    assertEquals(List.of("prices"), later.topics());
    subscribed.stop();
  }
}
