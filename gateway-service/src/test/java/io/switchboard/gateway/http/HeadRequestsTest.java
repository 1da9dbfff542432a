package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HEAD is answered wherever GET is: the same status and headers, no body, nothing opened. */
@ExtendWith(VertxExtension.class)
class HeadRequestsTest {

  private Vertx vertx;
  private HttpClient http;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    // One connection: a HEAD that left a stream open would hold it, and the next request would wait.
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
  }

  private record Answer(int status, MultiMap headers, String body) {
  }

  private Answer send(GatewayVerticle gateway, HttpMethod method, String path) {
    return TestCluster.await(http.request(method, gateway.actualPort(), "127.0.0.1", path)
        .compose(request -> request.send())
        .compose(response -> response.body()
            .map(body -> new Answer(response.statusCode(), response.headers(), body.toString()))));
  }

  private void assertHeadAnswersLikeGet(GatewayVerticle gateway, String path) {
    Answer get = send(gateway, HttpMethod.GET, path);
    Answer head = send(gateway, HttpMethod.HEAD, path);
    assertEquals(get.status(), head.status(), path);
    assertEquals(get.headers().get("Content-Type"), head.headers().get("Content-Type"), path);
    assertNotNull(head.headers().get("Content-Type"), path);
    assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
        head.headers().get("Content-Length"), path);
    assertEquals("", head.body(), path);
  }

  /** A stand-in for signaling-service that lists one room. */
  private void oneRoom() {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_ROOMS, request ->
        request.reply(RoomList.of(Map.of("lobby", 2)).toJson())).completion());
  }

  @Test
  void headOnHealthPagesTheSdkAndTheRoomApiAnswersLikeGetWithoutABody() {
    oneRoom();
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    for (String path : new String[] {"/health", "/", "/echo.html", "/js/switchboard.js", "/css/switchboard.css",
        "/api/rooms", "/api/cluster", "/no/such/thing"}) {
      assertHeadAnswersLikeGet(gateway, path);
    }
    assertEquals(200, send(gateway, HttpMethod.HEAD, "/api/rooms").status());
    assertEquals(404, send(gateway, HttpMethod.HEAD, "/no/such/thing").status());
  }

  @Test
  void headOnAStreamAnswersItsHeadersAndOpensNoStream() {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    for (String path : new String[] {"/sse/news", "/sse", "/api/cluster/stream"}) {
      // The answer ends: a stream would never end, and the body would never complete.
      Answer head = send(gateway, HttpMethod.HEAD, path);
      assertEquals(200, head.status(), path);
      assertEquals("text/event-stream", head.headers().get("Content-Type"), path);
      assertEquals("", head.body(), path);
    }
    assertEquals(0, gateway.sseStreams().streamCount());
    assertEquals(0, gateway.connectionsPerEventLoop().stream().mapToInt(Integer::intValue).sum());
    // The same connection serves the next request: nothing holds it.
    assertEquals(200, send(gateway, HttpMethod.GET, "/health").status());
  }
}
