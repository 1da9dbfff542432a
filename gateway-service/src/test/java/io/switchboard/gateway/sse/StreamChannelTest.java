package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.transport.SseWriter;
import io.switchboard.gateway.transport.WriteCoalescing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamChannelTest {

  private static final int EVENTS = 300;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aStreamIsWrittenThroughWriteCoalescingAndItsEventsArriveInOrder() {
    CompletableFuture<Boolean> coalesced = new CompletableFuture<>();
    // Set up as GatewayServer sets up the gateway's: its pipelines are the ones that matter.
    HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false).setStrictThreadMode(true)
        .setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false);
    var server = vertx.createHttpServer(options).requestHandler(request -> {
      var response = request.response();
      SseWriter.open(response);
      response.write(SseWriter.comment("stream t"));
      StreamChannel channel = StreamChannel.of(request, response, request.connection(), () -> { });
      // What a stream that drains after falling behind does: every event it owes, in one turn.
      for (int i = 0; i < EVENTS; i++) {
        LiveEvent event = LiveEvent.of(new StoredEvent(new EventId("ep1", i), null, "{\"n\":" + i + "}"));
        channel.write(event);
        event.release();
      }
      coalesced.complete(WriteCoalescing.installed(request.connection()));
      response.end();
    });
    int port = TestCluster.await(server.listen(0, "127.0.0.1")).actualPort();
    HttpClient client = vertx.createHttpClient();
    Buffer body = TestCluster.await(client.request(HttpMethod.GET, port, "127.0.0.1", "/sse/t")
        .compose(request -> request.send())
        .compose(response -> response.body()));

    List<Integer> ids = new ArrayList<>();
    Matcher id = Pattern.compile("(?m)^id: ep1-(\\d+)$").matcher(body.toString());
    while (id.find()) {
      ids.add(Integer.parseInt(id.group(1)));
    }
    assertEquals(EVENTS, ids.size(), body.toString());
    for (int i = 0; i < EVENTS; i++) {
      assertEquals(i, ids.get(i));
    }
    // Reached through Vert.x's implementation classes: a change there would silently turn it off.
    assertTrue(coalesced.orTimeout(5, TimeUnit.SECONDS).join());
  }
}
