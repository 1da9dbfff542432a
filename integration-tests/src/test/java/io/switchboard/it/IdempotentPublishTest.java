package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IdempotentPublishTest proves the {@code Idempotency-Key} contract of
 * {@code POST /api/topics/{topic}/events} on two gateways and two sse-service instances.
 */
class IdempotentPublishTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestCluster cluster;
  private static SseNodes.Gateway gatewayA;
  private static SseNodes.Gateway gatewayB;
  private static Vertx vertx;
  private static WebClient web;

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster();
    SseNodes.service(cluster, SseServiceConfig.defaults());
    SseNodes.service(cluster, SseServiceConfig.defaults());
    gatewayA = SseNodes.gateway(cluster);
    gatewayB = SseNodes.gateway(cluster);
    vertx = Vertx.vertx();
    web = SseNodes.web(vertx);
  }

  @AfterAll
  static void stopCluster() {
    if (web != null) {
      web.close();
    }
    if (vertx != null) {
      TestCluster.await(vertx.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String topic() {
    return "idem-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static HttpResponse<Buffer> publish(int port, String topic, String key, JsonObject body) {
    return post(port, topic, "application/json", key, body.toBuffer());
  }

  private static HttpResponse<Buffer> post(int port, String topic, String contentType, String key, Buffer body) {
    return TestCluster.awaitOn(vertx, () -> web.post(port, "127.0.0.1", "/api/topics/" + topic + "/events")
        .putHeader("Content-Type", contentType)
        .putHeader("Idempotency-Key", key)
        .sendBuffer(body));
  }

  private static JsonArray history(int port, String topic) {
    return TestCluster.awaitOn(vertx, () -> web.get(port, "127.0.0.1", "/api/topics/" + topic + "/events").send())
        .bodyAsJsonObject().getJsonArray("events");
  }

  @Test
  void replayAnswersTheFirstAttemptsBodyAndStoresNothing() {
    String topic = topic();
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("event", "chat").put("data", new JsonObject().put("n", 1));
    HttpResponse<Buffer> first = publish(gatewayA.port(), topic, key, body);
    assertEquals(202, first.statusCode());
    assertNull(first.getHeader("Idempotent-Replayed"));
    HttpResponse<Buffer> replay = publish(gatewayA.port(), topic, key, body);
    assertEquals(202, replay.statusCode());
    assertEquals(first.bodyAsJsonObject(), replay.bodyAsJsonObject());
    assertEquals("true", replay.getHeader("Idempotent-Replayed"));
    String after = SseNodes.publishData(vertx, web, gatewayA.port(), topic, "after");
    JsonArray events = history(gatewayA.port(), topic);
    assertEquals(2, events.size(), events.encode());
    assertEquals(first.bodyAsJsonObject().getString("id"), events.getJsonObject(0).getString("id"));
    assertEquals(after, events.getJsonObject(1).getString("id"));
  }

  /** The same data as JSON is the same event, however its client spelled it the second time. */
  @Test
  void aRetryWhoseDataIsTheSameJsonSpelledOtherwiseIsAReplay() {
    String topic = topic();
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> first = post(gatewayA.port(), topic, "application/json", key,
        Buffer.buffer("{\"event\":\"quote\",\"data\":{\"symbol\":\"ACME\",\"price\":12.50,\"tags\":[1,2]}}"));
    assertEquals(202, first.statusCode(), first.bodyAsString());
    HttpResponse<Buffer> again = post(gatewayB.port(), topic, "application/json", key,
        Buffer.buffer("{\"data\":{\"tags\":[1.0,2],\"price\":12.5,\"symbol\":\"ACME\"},\"event\":\"quote\"}"));
    assertEquals(202, again.statusCode(), again.bodyAsString());
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    assertEquals(1, history(gatewayA.port(), topic).size());
    // The order of an array's items is part of its value.
    HttpResponse<Buffer> other = post(gatewayB.port(), topic, "application/json", key,
        Buffer.buffer("{\"event\":\"quote\",\"data\":{\"symbol\":\"ACME\",\"price\":12.5,\"tags\":[2,1]}}"));
    assertEquals(409, other.statusCode(), other.bodyAsString());
  }

  @Test
  void sameKeyWithADifferentBodyIsRefusedWithIdempotencyConflict() {
    String topic = topic();
    String key = UUID.randomUUID().toString();
    assertEquals(202, publish(gatewayA.port(), topic, key, new JsonObject().put("data", 1)).statusCode());
    HttpResponse<Buffer> conflict = publish(gatewayA.port(), topic, key, new JsonObject().put("data", 2));
    assertEquals(409, conflict.statusCode());
    assertEquals("idempotency-conflict", conflict.bodyAsJsonObject().getString("code"));
    assertEquals(1, history(gatewayA.port(), topic).size());
  }

  @Test
  void keyIsHonouredAcrossGatewaysAndScopedToItsTopic() {
    String topic = topic();
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("data", "once");
    HttpResponse<Buffer> first = publish(gatewayA.port(), topic, key, body);
    HttpResponse<Buffer> viaB = publish(gatewayB.port(), topic, key, body);
    assertEquals(first.bodyAsJsonObject(), viaB.bodyAsJsonObject());
    assertEquals("true", viaB.getHeader("Idempotent-Replayed"));
    assertEquals(1, history(gatewayB.port(), topic).size());
    // The same key on another topic is another publish.
    String other = topic();
    HttpResponse<Buffer> elsewhere = publish(gatewayB.port(), other, key, body);
    assertEquals(202, elsewhere.statusCode());
    assertNull(elsewhere.getHeader("Idempotent-Replayed"));
  }

  @Test
  void malformedKeyIsABadRequest() {
    HttpResponse<Buffer> response = publish(gatewayA.port(), topic(), "has space",
        new JsonObject().put("data", 1));
    assertEquals(400, response.statusCode());
    assertEquals("bad-request", response.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> tooLong = publish(gatewayA.port(), topic(), "k".repeat(256),
        new JsonObject().put("data", 1));
    assertEquals(400, tooLong.statusCode());
  }

  /**
   * The checks of a publish run in the order protocol.md's table gives them: the key's after the
   * content type and the JSON of the body, before the body's shape.
   */
  @Test
  void aMalformedKeyIsReportedAfterTheContentTypeAndTheJsonOfTheBodyAndBeforeItsShape() {
    String topic = topic();
    HttpResponse<Buffer> asText = post(gatewayA.port(), topic, "text/plain", "has space",
        Buffer.buffer("{\"data\":1}"));
    assertEquals(415, asText.statusCode());
    assertEquals("unsupported-media-type", asText.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> notJson = post(gatewayA.port(), topic, "application/json", "has space",
        Buffer.buffer("{not json"));
    assertEquals(400, notJson.statusCode());
    assertEquals("bad-json", notJson.bodyAsJsonObject().getString("code"));
    HttpResponse<Buffer> noData = post(gatewayA.port(), topic, "application/json", "has space",
        Buffer.buffer("{\"event\":\"x\"}"));
    assertEquals(400, noData.statusCode());
    assertTrue(noData.bodyAsJsonObject().getString("message").startsWith("Idempotency-Key must be"),
        noData.bodyAsString());
    HttpResponse<Buffer> keyOnly = post(gatewayA.port(), topic, "application/json", "ok-key",
        Buffer.buffer("{\"event\":\"x\"}"));
    assertEquals(400, keyOnly.statusCode());
    assertTrue(keyOnly.bodyAsJsonObject().getString("message").contains("\"data\""), keyOnly.bodyAsString());
    assertEquals(0, history(gatewayA.port(), topic).size());
  }
}
