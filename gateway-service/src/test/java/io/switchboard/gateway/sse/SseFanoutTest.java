package io.switchboard.gateway.sse;

import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.node.SseConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.Addresses;
import io.switchboard.common.config.Env;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.topic.ClusteredTopicLog;
import io.switchboard.gateway.topic.QueuedBytes;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A topic's live events fanned out to the streams of one event loop when one stream throws. */
class SseFanoutTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TOPIC = "prices";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aStreamThatThrowsInAnEventsFanOutIsDroppedAndTheOthersGetTheEvent() throws Exception {
    // A stand-in for sse-service's history: the topic is at position 0 of epoch "e".
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SSE_HISTORY, request ->
        request.reply(new JsonObject().put("tail", "e-0").put("events", new JsonArray())))
        .completion());
    SseConfig config = SseConfig.from(new Env(Map.of()));
    ClusteredTopicLog log = new ClusteredTopicLog(vertx, config.requestTimeout(), FixedClusterView.joinedNode());
    SseHub hub = new SseHub(vertx, config, log, new StreamCounts(),
        new QueuedBytes(config.queuedMaxBytes()), new RateMeter());
    Context context = vertx.getOrCreateContext();
    List<FakeResponse> streams = new ArrayList<>();
    Promise<Void> opened = Promise.promise();
    context.runOnContext(v -> log.start().onComplete(started -> {
      for (int i = 0; i < 4; i++) {
        FakeResponse stream = new FakeResponse();
        hub.open(TOPIC, stream.request(), stream.response(), null, () -> { });
        streams.add(stream);
      }
      opened.handle(started);
    }));
    TestCluster.await(opened.future());
    for (FakeResponse stream : streams) {
      assertEquals(": stream " + TOPIC + "\n\n", stream.next(WAIT));
      assertEquals("id: e-0\n\n", stream.next(WAIT), "the topic's position, to resume from");
    }
    // Streams are delivered to in no set order: whichever the broken one is, the rest get the event.
    FakeResponse broken = streams.get(1);
    Promise<Void> breaking = Promise.promise();
    context.runOnContext(v -> {
      broken.throwOnWrites();
      breaking.complete();
    });
    TestCluster.await(breaking.future());

    vertx.eventBus().publish(Addresses.SSE_EVENTS,
        new JsonObject().put("topic", TOPIC).put("id", "e-1").put("data", "{\"bid\":1}"));
    broken.reset().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    for (FakeResponse stream : streams) {
      if (stream != broken) {
        assertEquals("id: e-1\ndata: {\"bid\":1}\n\n", stream.next(WAIT));
      }
    }
  }
}
