package io.switchboard.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Origins and CORS on a real gateway over HTTP, as a browser on one origin or another would ask. */
@ExtendWith(VertxExtension.class)
class OriginPolicyTest {

  private static final String FOREIGN = "https://evil.example";
  private static final String APP = "http://127.0.0.1:3000";
  private static final String PUBLISH_BODY = "{\"data\":{\"n\":1}}";
  private static final String SECRET = "origin-policy-test-secret-of-32-bytes-or-more";

  private Vertx vertx;
  private HttpClient http;
  // Held in fields: Vert.x closes a client that becomes unreachable, connections in flight included.
  private WebSocketClient webSockets;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient();
    this.webSockets = vertx.createWebSocketClient();
  }

  private GatewayVerticle gateway(String allowedOrigins) {
    return gateway(Map.of("ALLOWED_ORIGINS", allowedOrigins));
  }

  private GatewayVerticle gateway(Map<String, String> variables) {
    return GatewayTestSupport.deploy(vertx, TestConfigs.gateway(variables), FixedClusterView.joinedNode());
  }

  private static String own(GatewayVerticle gateway) {
    return "http://127.0.0.1:" + gateway.actualPort();
  }

  /** A response with its whole body; a stream's connection is closed once its headers are read. */
  private record Answer(int status, MultiMap headers, String body) {
    String header(String name) {
      return headers.get(name);
    }

    String code() {
      return new JsonObject(body).getString("code");
    }
  }

  private Answer send(GatewayVerticle gateway, HttpMethod method, String path, Map<String, String> headers,
      String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(gateway.actualPort()).setURI(path);
    headers.forEach(options::addHeader);
    return TestCluster.awaitOn(vertx, () -> http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> {
          if ("text/event-stream".equals(response.getHeader("Content-Type")) && method != HttpMethod.HEAD) {
            return response.request().connection().close()
                .map(v -> new Answer(response.statusCode(), response.headers(), ""));
          }
          return response.body()
              .map(bytes -> new Answer(response.statusCode(), response.headers(), bytes.toString()));
        }));
  }

  private Answer get(GatewayVerticle gateway, String path, String origin) {
    return send(gateway, HttpMethod.GET, path, origin == null ? Map.of() : Map.of("Origin", origin), null);
  }

  private Answer publish(GatewayVerticle gateway, String origin) {
    return send(gateway, HttpMethod.POST, "/api/topics/news/events",
        Map.of("Origin", origin, "Content-Type", "application/json"), PUBLISH_BODY);
  }

  private UpgradeRejectedException refusedUpgrade(GatewayVerticle gateway, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(gateway.actualPort()).setURI("/ws/echo").addHeader("Origin", origin);
    Throwable failure = assertThrows(AssertionError.class,
        () -> TestCluster.awaitOn(vertx, () -> webSockets.connect(options))).getCause();
    assertTrue(failure instanceof UpgradeRejectedException, String.valueOf(failure));
    return (UpgradeRejectedException) failure;
  }

  /** A stand-in for sse-service's history, at position 0 of epoch "e", so that streams open. */
  private void emptyHistory() {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SSE_HISTORY, request ->
        request.reply(new JsonObject().put("tail", "e-0").put("events", new JsonArray()))).completion());
  }

  @Test
  void aWebSocketUpgradeFromAForeignOriginIsRefusedWithBadOrigin() {
    GatewayVerticle gateway = gateway(Map.of());
    UpgradeRejectedException refused = refusedUpgrade(gateway, FOREIGN);
    assertEquals(403, refused.getStatus());
    assertEquals("bad-origin", new JsonObject(refused.getBody()).getString("code"));
    assertEquals(0, gateway.connectionsPerEventLoop().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void aStreamAndAPublishFromAForeignOriginAreRefusedWithBadOrigin() {
    GatewayVerticle gateway = gateway(APP);
    Answer stream = get(gateway, "/sse/news", FOREIGN);
    assertEquals(403, stream.status());
    assertEquals("bad-origin", stream.code());
    assertNull(stream.header("Access-Control-Allow-Origin"));
    Answer published = publish(gateway, FOREIGN);
    assertEquals(403, published.status());
    assertEquals("bad-origin", published.code());
    assertEquals(0, gateway.sseStreams().subscribersByTopic().size());
  }

  @Test
  void theOpaqueNullOriginAndLocalFilesAreRefused() {
    GatewayVerticle gateway = gateway(Map.of());
    for (String origin : new String[] {"null", "file://"}) {
      assertEquals(403, refusedUpgrade(gateway, origin).getStatus(), origin);
      assertEquals("bad-origin", get(gateway, "/sse/news", origin).code(), origin);
      assertEquals("bad-origin", publish(gateway, origin).code(), origin);
    }
  }

  @Test
  void thePreflightOfAForeignOriginIsRefused() {
    GatewayVerticle gateway = gateway(APP);
    Answer preflight = send(gateway, HttpMethod.OPTIONS, "/api/topics/news/events",
        Map.of("Origin", FOREIGN, "Access-Control-Request-Method", "POST"), null);
    assertEquals(403, preflight.status());
    assertEquals("bad-origin", preflight.code());
  }

  @Test
  void theGatewaysOwnPagesAreAllowedWhateverTheList() {
    GatewayVerticle gateway = gateway(APP);
    // The Vert.x client sends the origin of the URL it connects to, as a page of the gateway would.
    TestSocket.connect(vertx, gateway.actualPort(), "/ws/echo").close();
    Answer cluster = get(gateway, "/api/cluster", own(gateway));
    assertEquals(200, cluster.status());
    assertEquals(own(gateway), cluster.header("Access-Control-Allow-Origin"));
    Answer published = publish(gateway, own(gateway));
    // No sse-service runs here: the publish got past the origin check to the service.
    assertEquals("service-unavailable", published.code());
  }

  @Test
  void requestsWithoutAnOriginAreNotAffected() {
    GatewayVerticle gateway = gateway(Map.of());
    WebSocketConnectOptions withoutOrigin = new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(gateway.actualPort()).setURI("/ws/echo").setAllowOriginHeader(false);
    TestCluster.await(TestCluster.awaitOn(vertx, () -> webSockets.connect(withoutOrigin)).close());
    Answer cluster = get(gateway, "/api/cluster", null);
    assertEquals(200, cluster.status());
    assertNull(cluster.header("Access-Control-Allow-Origin"));
    assertEquals("Origin", cluster.header("Vary"));
    assertEquals("service-unavailable", send(gateway, HttpMethod.POST, "/api/topics/news/events",
        Map.of("Content-Type", "application/json"), PUBLISH_BODY).code());
  }

  @Test
  void aListedOriginMayReadTheSdkStreamsAndApi() {
    emptyHistory();
    GatewayVerticle gateway = gateway("https://other.example, " + APP);
    for (String path : new String[] {"/js/switchboard.js", "/sse/news", "/api/cluster"}) {
      Answer answer = get(gateway, path, APP);
      assertEquals(200, answer.status(), path);
      assertEquals(APP, answer.header("Access-Control-Allow-Origin"), path);
      assertEquals("Origin", answer.header("Vary"), path);
      assertEquals("Idempotent-Replayed, Retry-After", answer.header("Access-Control-Expose-Headers"), path);
    }
    assertEquals(APP, publish(gateway, APP).header("Access-Control-Allow-Origin"));
    // Errors too, so that a page on another origin reads their code.
    Answer missing = get(gateway, "/api/no-such-thing", APP);
    assertEquals("not-found", missing.code());
    assertEquals(APP, missing.header("Access-Control-Allow-Origin"));
    // Pages are not for other origins to read; only the SDK, streams and API say they may.
    Answer page = get(gateway, "/", APP);
    assertEquals(200, page.status());
    assertNull(page.header("Access-Control-Allow-Origin"));
  }

  @Test
  void aPreflightFromAListedOriginGets204WithTheMethodsAndHeaders() {
    GatewayVerticle gateway = gateway(APP);
    Answer preflight = send(gateway, HttpMethod.OPTIONS, "/api/topics/news/events", Map.of("Origin", APP,
        "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type, idempotency-key"), null);
    assertEquals(204, preflight.status());
    assertEquals("", preflight.body());
    assertEquals(APP, preflight.header("Access-Control-Allow-Origin"));
    assertEquals("GET, HEAD, POST, OPTIONS", preflight.header("Access-Control-Allow-Methods"));
    assertEquals("Authorization, X-API-Key, Content-Type, Last-Event-ID, Idempotency-Key",
        preflight.header("Access-Control-Allow-Headers"));
    assertEquals("600", preflight.header("Access-Control-Max-Age"));
  }

  @Test
  void starAllowsEveryOriginTheOpaqueOneIncluded() {
    GatewayVerticle gateway = gateway("*");
    for (String origin : new String[] {FOREIGN, "null"}) {
      Answer cluster = get(gateway, "/api/cluster", origin);
      assertEquals(200, cluster.status(), origin);
      assertEquals(origin, cluster.header("Access-Control-Allow-Origin"), origin);
    }
    WebSocketConnectOptions foreign = new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(gateway.actualPort()).setURI("/ws/echo").addHeader("Origin", FOREIGN);
    TestCluster.await(TestCluster.awaitOn(vertx, () -> webSockets.connect(foreign)).close());
  }

  @Test
  void withTokensRequiredTheOriginIsCheckedFirstAndPreflightsNeedNoCredentials() {
    GatewayVerticle gateway = gateway(Map.of("ALLOWED_ORIGINS", APP, "AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET));
    assertEquals("bad-origin", get(gateway, "/api/cluster", FOREIGN).code());
    assertEquals(403, refusedUpgrade(gateway, FOREIGN).getStatus());
    Answer preflight = send(gateway, HttpMethod.OPTIONS, "/api/cluster", Map.of("Origin", APP,
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"), null);
    assertEquals(204, preflight.status());
    assertEquals(APP, preflight.header("Access-Control-Allow-Origin"));
    // The page of a listed origin reads why it was refused.
    Answer unauthorized = get(gateway, "/api/cluster", APP);
    assertEquals("unauthorized", unauthorized.code());
    assertEquals(APP, unauthorized.header("Access-Control-Allow-Origin"));
  }
}
