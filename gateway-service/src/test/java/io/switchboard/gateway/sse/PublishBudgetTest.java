package io.switchboard.gateway.sse;

import io.switchboard.gateway.FixedClusterView;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.config.Env;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.auth.AuthConfig;
import io.switchboard.gateway.auth.AuthenticationHandler;
import io.switchboard.gateway.auth.Authenticator;
import io.switchboard.gateway.auth.TokenMint;
import io.switchboard.gateway.limits.ClientAddress;
import io.switchboard.gateway.limits.TrustedProxies;
import io.switchboard.gateway.node.ConnectionCounts;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.SseConfig;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.topic.ClusteredTopicLog;
import io.switchboard.gateway.topic.QueuedBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a gateway holds of publishes and whom it names as their topics' creator. Past the budget
 * of bodies held at once a publish is answered 503 before its body is read, and once the held ones
 * are answered publishing works again. sse-service is a stand-in on the local event bus that
 * answers only when the test says so; requests go through the real authentication handler.
 */
class PublishBudgetTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = "a-test-secret-that-is-32-bytes-long!";

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx);
  private final BlockingQueue<Message<JsonObject>> held = new LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    web.close();
    TestCluster.await(vertx.close());
  }

  private int serve(Map<String, String> variables) {
    Env env = new Env(variables);
    SseConfig config = SseConfig.from(env);
    AuthConfig auth = AuthConfig.from(env);
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SSE_PUBLISH, held::add).completion());
    Authenticator authenticator = TestCluster.await(Authenticator.create(vertx, auth));
    SseRoutes routes = new SseRoutes(vertx, config, new ConnectionRegistry(new ConnectionCounts()),
        new StreamCounts(), new QueuedBytes(config.queuedMaxBytes()), new RateMeter(), new PublishBudget(config.publishMaxInFlightBytes()),
        ctx -> ClientAddress.of(ctx.request(), TrustedProxies.of(List.of())),
        new ClusteredTopicLog(vertx, config.requestTimeout(), FixedClusterView.joinedNode()));
    Router router = Router.router(vertx);
    router.route().handler(AuthenticationHandler.create(authenticator, auth.mode()));
    routes.mount(router, RoutingContext::next);
    return TestCluster.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"))
        .actualPort();
  }

  private Future<HttpResponse<Buffer>> publish(int port, String topic,
      UnaryOperator<HttpRequest<Buffer>> credentials) {
    JsonObject body = new JsonObject().put("data", "x".repeat(900));
    return TestCluster.onContext(vertx, () -> credentials
        .apply(web.post(port, "127.0.0.1", "/api/topics/" + topic + "/events"))
        .putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer()));
  }

  private Future<HttpResponse<Buffer>> publish(int port, String topic) {
    return publish(port, topic, request -> request);
  }

  private Message<JsonObject> nextHeld() throws InterruptedException {
    Message<JsonObject> message = held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("no publish reached sse-service");
    }
    return message;
  }

  private static PublishRequest answer(Message<JsonObject> message) {
    PublishRequest request = PublishRequest.fromJson(message.body());
    message.reply(new PublishReply(request.topic(), "e-1", false).toJson());
    return request;
  }

  @Test
  void pastTheBudgetAPublishIsAnswered503UntilTheHeldOnesAreAnswered() throws Exception {
    int port = serve(Map.of(
        "SSE_MAX_BODY_BYTES", "1024",
        "SSE_PUBLISH_MAX_IN_FLIGHT_BYTES", "2048",
        "SSE_REQUEST_TIMEOUT_MS", "30000"));
    Future<HttpResponse<Buffer>> first = publish(port, "a");
    Future<HttpResponse<Buffer>> second = publish(port, "b");
    Message<JsonObject> one = nextHeld();
    Message<JsonObject> two = nextHeld();

    HttpResponse<Buffer> refused = TestCluster.await(publish(port, "c"));
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertEquals("service-unavailable", refused.bodyAsJsonObject().getString("code"));
    assertEquals("1", refused.getHeader("Retry-After"), "a 503 says when to try again");
    assertFalse(first.isComplete() || second.isComplete(), "the held publishes wait for sse-service");

    answer(one);
    answer(two);
    assertEquals(202, TestCluster.await(first).statusCode());
    assertEquals(202, TestCluster.await(second).statusCode());
    Future<HttpResponse<Buffer>> after = publish(port, "d");
    PublishRequest request = answer(nextHeld());
    assertEquals(202, TestCluster.await(after).statusCode());
    assertEquals("127.0.0.1", request.creator(), "in open mode the client's address creates topics");
    assertFalse(request.rateExempt());
  }

  @Test
  void withTokensAUserCreatesTopicsAndAnApiKeyIsNeverLimited() throws Exception {
    int port = serve(Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET, "AUTH_API_KEYS", "backend-key"));
    String token = new TokenMint(vertx, SECRET, null, null).mint(new TokenMint.Claims("alice",
        Duration.ofMinutes(5), List.of(), List.of("news"), List.of(), false));

    Future<HttpResponse<Buffer>> byUser = publish(port, "news", r -> r.bearerTokenAuthentication(token));
    PublishRequest user = answer(nextHeld());
    assertEquals(202, TestCluster.await(byUser).statusCode());
    assertEquals("user:alice", user.creator());
    assertFalse(user.rateExempt());

    Future<HttpResponse<Buffer>> byBackend = publish(port, "news", r -> r.putHeader("X-API-Key", "backend-key"));
    PublishRequest backend = answer(nextHeld());
    assertEquals(202, TestCluster.await(byBackend).statusCode());
    assertNull(backend.creator());
    assertTrue(backend.rateExempt());
  }
}
