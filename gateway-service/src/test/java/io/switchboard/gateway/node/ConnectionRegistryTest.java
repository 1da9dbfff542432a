package io.switchboard.gateway.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.Patterns;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the registry keeps of a WebSocket once it is gone, over a real Vert.x server and client. */
class ConnectionRegistryTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aSocketTheServerClosesBeforeTheClientsCloseFrameIsForgottenWhollyAndCounted() {
    ConnectionRegistry registry = new ConnectionRegistry(new ConnectionCounts());
    Grants alice = Grants.user("alice", System.currentTimeMillis() / 1000 + 3600, Patterns.none(),
        Patterns.none(), Patterns.none(), false);
    Promise<Integer> leftAfterRemoval = Promise.promise();
    HttpServer server = TestCluster.await(vertx.createHttpServer().webSocketHandler(ws -> {
      registry.add(ws, null, () -> alice);
      // As when a token expires: the server closes, and the session lets the registry go at once,
      // before the client's close frame can arrive.
      ws.close((short) 4001, "token-expired");
      registry.remove(ws);
      leftAfterRemoval.complete(registry.webSocketCount() + registry.disconnect("alice", Long.MAX_VALUE));
    }).listen(0, "127.0.0.1"));
    WebSocketClient client = vertx.createWebSocketClient();
    TestCluster.await(client.connect(server.actualPort(), "127.0.0.1", "/ws/echo"));
    assertEquals(0, TestCluster.await(leftAfterRemoval.future()),
        "no socket left, none for an operator to disconnect");
  }
}
