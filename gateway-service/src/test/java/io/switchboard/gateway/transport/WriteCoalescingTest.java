package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteCoalescingTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void framesWrittenInOneTurnArriveInOrderOnACoalescedConnection() {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      var connection = request.connection();
      request.toWebSocket().onSuccess(ws -> {
        WriteCoalescing.install(connection);
        // Installing twice is harmless: a connection has one handler at most.
        WriteCoalescing.install(connection);
        installed.complete(WriteCoalescing.installed(connection));
        ws.textMessageHandler(text -> {
          for (int i = 0; i < 300; i++) {
            ws.writeTextMessage(text + i);
          }
        });
      });
    });
    int port = TestCluster.await(server.listen(0, "127.0.0.1")).actualPort();
    Vertx clients = Vertx.vertx();
    try (TestSocket socket = TestSocket.connect(clients, port, "/")) {
      socket.send("m");
      for (int i = 0; i < 300; i++) {
        assertEquals("m" + i, socket.nextText());
      }
      // Vert.x's connection classes are reached through its implementation: a change there would
      // silently turn coalescing off, so it is checked, not assumed.
      assertTrue(installed.orTimeout(5, TimeUnit.SECONDS).join());
    } finally {
      TestCluster.await(clients.close());
    }
  }
}
