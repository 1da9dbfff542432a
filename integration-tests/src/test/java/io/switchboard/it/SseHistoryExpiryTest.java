package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.sse.SseServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SseHistoryExpiryTest checks that history is also bounded by age, and says so on resume. */
class SseHistoryExpiryTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void eventsOlderThanTheTtlExpireAndResumingPastThemReportsHistoryLost() {
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx);
    try (TestCluster cluster = new TestCluster()) {
      SseServiceConfig config = SseServiceConfig.from(new Env(Map.of("SSE_HISTORY_TTL_SECONDS", "1")));
      SseNodes.service(cluster, config);
      SseNodes.Gateway gateway = SseNodes.gateway(cluster);
      String topic = "expiring";
      String first = SseNodes.publishData(vertx, web, gateway.port(), topic, 1);
      SseNodes.publishData(vertx, web, gateway.port(), topic, 2);

      Poll.until(() -> events(vertx, web, gateway.port(), topic).getJsonArray("events").isEmpty(), WAIT,
          "retained events expired");

      String fresh = SseNodes.publishData(vertx, web, gateway.port(), topic, 3);
      try (SseClient client = SseClient.connect(vertx, gateway.port(), "/sse/" + topic, first)) {
        SseClient.Event lost = client.next(WAIT);
        assertEquals("history-lost", lost.type());
        assertEquals("expired", lost.json().getString("reason"));
        SseClient.Event next = client.next(WAIT);
        assertEquals(fresh, next.id());
        assertTrue(next.position() > lost.position());
      }
    } finally {
      web.close();
      TestCluster.await(vertx.close());
    }
  }

  private static JsonObject events(Vertx vertx, WebClient web, int port, String topic) {
    HttpResponse<Buffer> response = TestCluster.awaitOn(vertx,
        () -> web.get(port, "127.0.0.1", "/api/topics/" + topic + "/events").send());
    return response.bodyAsJsonObject();
  }
}
