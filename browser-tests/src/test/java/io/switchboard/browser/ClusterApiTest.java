package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data behind the dashboard, read the way any HTTP client would. */
@ExtendWith(SwitchboardCluster.class)
class ClusterApiTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();
  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
  private Vertx clients;

  @BeforeEach
  void start() {
    clients = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    TestCluster.await(clients.close());
  }

  private JsonObject view(String gateway) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/cluster")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    return new JsonObject(response.body());
  }

  /** Polls {@code /api/cluster} until {@code condition} holds; generous for a busy machine. */
  private JsonObject awaitView(String gateway, String what, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonObject view = view(gateway);
    while (!condition.test(view)) {
      assertTrue(System.nanoTime() < deadline, what + "; last view: " + view.encodePrettily());
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      view = view(gateway);
    }
    return view;
  }

  private static int count(JsonArray entries, String key, String name, String field) {
    for (Object entry : entries) {
      JsonObject object = (JsonObject) entry;
      if (name.equals(object.getString(key))) {
        return object.getInteger(field);
      }
    }
    return 0;
  }

  @Test
  void viewListsEveryNodeWithItsRoleAndCountsRoomsTopicsAndConnectionsAcrossGateways() throws Exception {
    JsonObject view = awaitView(cluster.gatewayA(), "five nodes", v -> v.getJsonArray("nodes").size() == 5);
    assertEquals(2, view.getJsonArray("gateways").size());
    for (String role : new String[] {"gateway", "echo", "sse", "signaling"}) {
      assertTrue(view.getJsonArray("nodes").stream()
          .anyMatch(n -> ((JsonObject) n).getJsonArray("roles").contains(role)), role);
    }

    String room = "api-" + UUID.randomUUID().toString().substring(0, 8);
    String topic = "api-" + UUID.randomUUID().toString().substring(0, 8);
    String neverPublished = "api-none-" + UUID.randomUUID().toString().substring(0, 8);
    publish(cluster.gatewayA(), topic);
    HttpClient sseClient = clients.createHttpClient();
    HttpClientResponse unlisted = openStream(sseClient, neverPublished);
    HttpClientResponse stream = openStream(sseClient, topic);
    try (TestSocket one = TestSocket.connect(clients, portOf(cluster.gatewayA()), "/ws/signaling");
         TestSocket two = TestSocket.connect(clients, portOf(cluster.gatewayB()), "/ws/signaling")) {
      one.send(new JsonObject().put("type", "join").put("room", room));
      two.send(new JsonObject().put("type", "join").put("room", room));
      one.nextOfType("joined", Duration.ofSeconds(10));
      two.nextOfType("joined", Duration.ofSeconds(10));

      JsonObject busy = awaitView(cluster.gatewayB(), "room with two members and topic with one subscriber",
          v -> count(v.getJsonArray("rooms"), "room", room, "members") == 2
              && count(v.getJsonArray("topics"), "topic", topic, "subscribers") == 1);
      // Its stream opened first, in the same gateway: a topic that does not exist is not listed.
      assertEquals(0, count(busy.getJsonArray("topics"), "topic", neverPublished, "subscribers"), busy.encode());
      for (Object g : busy.getJsonArray("gateways")) {
        assertTrue(((JsonObject) g).getInteger("webSockets") >= 1, g.toString());
      }
    }
    stream.request().connection().close();
    unlisted.request().connection().close();
    awaitView(cluster.gatewayA(), "room and topic gone once their connections closed",
        v -> count(v.getJsonArray("rooms"), "room", room, "members") == 0
            && count(v.getJsonArray("topics"), "topic", topic, "subscribers") == 0);
  }

  @Test
  void topicSubscribersOverWebSocketCountWithTheSseStreamsOfTheTopic() throws Exception {
    String topic = "api-ws-" + UUID.randomUUID().toString().substring(0, 8);
    String neverPublished = "api-ws-none-" + UUID.randomUUID().toString().substring(0, 8);
    publish(cluster.gatewayA(), topic);
    HttpClient sseClient = clients.createHttpClient();
    HttpClientResponse stream = openStream(sseClient, topic);
    try (TestSocket socket = TestSocket.connect(clients, portOf(cluster.gatewayB()), "/ws/topics")) {
      socket.nextOfType("welcome", Duration.ofSeconds(10));
      for (String each : new String[] {neverPublished, topic}) {
        socket.send(new JsonObject().put("type", "subscribe").put("topic", each));
        socket.nextOfType("subscribed", Duration.ofSeconds(10));
      }
      JsonObject both = awaitView(cluster.gatewayA(), "the topic's SSE stream and WebSocket subscriber",
          v -> count(v.getJsonArray("topics"), "topic", topic, "subscribers") == 2);
      assertEquals(0, count(both.getJsonArray("topics"), "topic", neverPublished, "subscribers"), both.encode());
    }
    awaitView(cluster.gatewayA(), "the SSE stream alone once the WebSocket closed",
        v -> count(v.getJsonArray("topics"), "topic", topic, "subscribers") == 1);
    stream.request().connection().close();
  }

  @Test
  void echoTrafficShowsAsAMessageRate() throws Exception {
    try (TestSocket echo = TestSocket.connect(clients, portOf(cluster.gatewayA()), "/ws/echo")) {
      String gatewayA = cluster.gatewayNodeIds().get(0);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      double rate = 0;
      while (rate <= 0) {
        assertTrue(System.nanoTime() < deadline, "no echo rate reported");
        for (int i = 0; i < 20; i++) {
          echo.send("m" + i);
          echo.nextText();
        }
        JsonObject view = view(cluster.gatewayB());
        for (Object g : view.getJsonArray("gateways")) {
          JsonObject gateway = (JsonObject) g;
          if (gateway.getString("node").equals(gatewayA)) {
            rate = gateway.getJsonObject("messagesPerSecond").getDouble("echo");
          }
        }
      }
      assertTrue(rate > 0);
    }
  }

  @Test
  void streamPushesTheViewAsServerSentEvents() {
    HttpClient client = clients.createHttpClient();
    CompletableFuture<String> views = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    HttpClientResponse response = TestCluster.awaitOn(clients, () -> client
        .request(HttpMethod.GET, portOf(cluster.gatewayA()), "127.0.0.1", "/api/cluster/stream")
        .compose(request -> request.send())
        .map(stream -> stream.handler(chunk -> {
          text.append(chunk.toString());
          // Two views: the one sent at once and the next, pushed a second later.
          int first = text.indexOf("event: cluster\n");
          if (first >= 0 && text.indexOf("event: cluster\n", first + 1) > 0) {
            views.complete(text.toString());
          }
        })));
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.getHeader("Content-Type"));
    assertEquals("no-cache", response.getHeader("Cache-Control"));
    assertEquals("no", response.getHeader("X-Accel-Buffering"));
    String body = views.orTimeout(30, TimeUnit.SECONDS).join();
    String data = body.substring(body.indexOf("data: ") + 6, body.indexOf('\n', body.indexOf("data: ")));
    assertEquals(cluster.gatewayNodeIds().get(0), new JsonObject(data).getString("servedBy"));
    response.request().connection().close();
  }

  private HttpClientResponse openStream(HttpClient client, String topic) {
    HttpClientResponse stream = TestCluster.awaitOn(clients, () -> client
        .request(HttpMethod.GET, portOf(cluster.gatewayB()), "127.0.0.1", "/sse/" + topic)
        .compose(request -> request.send()));
    assertEquals(200, stream.statusCode());
    return stream;
  }

  private void publish(String gateway, String topic) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(gateway + "/api/topics/" + topic + "/events"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"first\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
  }

  private static int portOf(String base) {
    return URI.create(base).getPort();
  }
}
