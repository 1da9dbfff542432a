package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.switchboard.common.Addresses;
import io.switchboard.common.config.Env;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.node.ConnectionCounts;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.SseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bodies of publishes a gateway holds at once are bounded: past the budget a publish is
 * answered 503 before its body is read, and once the held ones are answered publishing works again.
 * sse-service is a stand-in on the local event bus that answers only when the test says so.
 */
class PublishBudgetTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx);
  private final BlockingQueue<Message<JsonObject>> held = new LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    web.close();
    TestCluster.await(vertx.close());
  }

  private int serve(SseConfig config) {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SSE_PUBLISH, held::add).completion());
    SseRoutes routes = new SseRoutes(vertx, config, new ConnectionRegistry(new ConnectionCounts()),
        new StreamCounts(), new RateMeter(), new PublishBudget(config.publishMaxInFlightBytes()));
    Router router = Router.router(vertx);
    routes.mount(router);
    return TestCluster.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"))
        .actualPort();
  }

  private Future<HttpResponse<Buffer>> publish(int port, String topic) {
    JsonObject body = new JsonObject().put("data", "x".repeat(900));
    return web.post(port, "127.0.0.1", "/api/topics/" + topic + "/events")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer());
  }

  private Message<JsonObject> nextHeld() throws InterruptedException {
    Message<JsonObject> message = held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("no publish reached sse-service");
    }
    return message;
  }

  private static void answer(Message<JsonObject> message) {
    String topic = PublishRequest.fromJson(message.body()).topic();
    message.reply(new PublishReply(topic, "e-1", false).toJson());
  }

  @Test
  void pastTheBudgetAPublishIsAnswered503UntilTheHeldOnesAreAnswered() throws Exception {
    SseConfig config = SseConfig.from(new Env(Map.of(
        "SSE_MAX_BODY_BYTES", "1024",
        "SSE_PUBLISH_MAX_IN_FLIGHT_BYTES", "2048",
        "SSE_REQUEST_TIMEOUT_MS", "30000")));
    int port = serve(config);
    Future<HttpResponse<Buffer>> first = publish(port, "a");
    Future<HttpResponse<Buffer>> second = publish(port, "b");
    Message<JsonObject> one = nextHeld();
    Message<JsonObject> two = nextHeld();

    HttpResponse<Buffer> refused = TestCluster.await(publish(port, "c"));
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertEquals("service-unavailable", refused.bodyAsJsonObject().getString("code"));
    assertFalse(first.isComplete() || second.isComplete(), "the held publishes wait for sse-service");

    answer(one);
    answer(two);
    assertEquals(202, TestCluster.await(first).statusCode());
    assertEquals(202, TestCluster.await(second).statusCode());
    Future<HttpResponse<Buffer>> after = publish(port, "d");
    Message<JsonObject> next = nextHeld();
    assertEquals("127.0.0.1", PublishRequest.fromJson(next.body()).creator(),
        "the client's address is who creates the topic");
    answer(next);
    assertEquals(202, TestCluster.await(after).statusCode());
  }
}
