package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.RawClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HEAD is answered wherever GET is: the same status and headers, no body, nothing opened. Every
 * request of a test goes over one connection, read byte by byte as the server wrote it: a HEAD that
 * sent a body, or left a stream open, would garble or hold the answer to the next request.
 */
@ExtendWith(VertxExtension.class)
class HeadRequestsTest {

  private static void assertHeadAnswersLikeGet(RawClient client, String path) {
    Response get = client.get(path);
    Response head = client.head(path);
    assertEquals(get.status(), head.status(), path);
    assertNotNull(head.headers().get("content-type"), path);
    assertEquals(get.headers().get("content-type"), head.headers().get("content-type"), path);
    assertEquals(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
        head.headers().get("content-length"), path);
  }

  /** A stand-in for signaling-service that lists one room. */
  private static void oneRoom(Vertx vertx) {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_ROOMS, request ->
        request.reply(RoomList.of(Map.of("lobby", 2)).toJson())).completion());
  }

  @Test
  void headOnHealthPagesTheSdkAndTheRoomApiAnswersLikeGetWithoutABody(Vertx vertx) {
    oneRoom(vertx);
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    try (RawClient client = RawClient.connect(gateway.actualPort())) {
      for (String path : new String[] {"/health", "/", "/echo.html", "/js/switchboard.js", "/css/switchboard.css",
          "/api/rooms", "/api/cluster", "/no/such/thing"}) {
        assertHeadAnswersLikeGet(client, path);
      }
      assertEquals(200, client.head("/api/rooms").status());
      assertEquals(404, client.head("/no/such/thing").status());
      // The connection still answers: no body of a HEAD was left to be read as the next answer.
      assertEquals(200, client.get("/health").status());
    }
  }

  @Test
  void headOnAStreamAnswersItsHeadersAndOpensNoStream(Vertx vertx) {
    GatewayVerticle gateway = GatewayTestSupport.deploy(vertx);
    try (RawClient client = RawClient.connect(gateway.actualPort())) {
      for (String path : new String[] {"/sse/news", "/sse", "/api/cluster/stream"}) {
        Response head = client.head(path);
        assertEquals(200, head.status(), path);
        assertEquals("text/event-stream", head.headers().get("content-type"), path);
        // The answer ended: the same connection answers the next request, which a stream would hold.
        assertEquals(200, client.get("/health").status(), path);
      }
      assertEquals(0, gateway.sseStreams().streamCount());
      assertEquals(0, gateway.connectionsPerEventLoop().stream().mapToInt(Integer::intValue).sum());
    }
  }
}
