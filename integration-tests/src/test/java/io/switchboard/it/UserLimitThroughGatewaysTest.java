package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.gateway.auth.TokenMint;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code LIMIT_CONNECTIONS_PER_USER} end to end: two gateways with {@code AUTH_MODE=jwt}, where a
 * token's subject is the user whose WebSockets are counted across both.
 */
class UserLimitThroughGatewaysTest {

  private static final String SECRET = "an-integration-test-secret-of-32-bytes+";
  private static final int LIMIT = 2;

  private TestCluster cluster;
  private SseNodes.Gateway gatewayA;
  private SseNodes.Gateway gatewayB;
  private Vertx vertx;
  private TokenMint mint;

  @BeforeEach
  void startCluster() {
    cluster = new TestCluster();
    cluster.startNode();
    Map<String, String> env = Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET,
        "LIMIT_CONNECTIONS_PER_USER", String.valueOf(LIMIT), "LIMIT_CONNECTIONS_PER_IP", "0");
    gatewayA = SseNodes.gateway(cluster, env);
    gatewayB = SseNodes.gateway(cluster, env);
    vertx = Vertx.vertx();
    mint = new TokenMint(vertx, SECRET, null, null);
  }

  @AfterEach
  void stopCluster() {
    TestCluster.await(vertx.close());
    cluster.close();
  }

  private String token(String user) {
    return mint.mint(new TokenMint.Claims(user, Duration.ofHours(1), List.of(), List.of(), List.of(), false));
  }

  @Test
  void aUsersWebSocketsOnTwoGatewaysCountTogetherAndOneMoreGets429UntilOneCloses() {
    String alice = "/ws/echo?token=" + token("alice");
    TestSocket first = TestSocket.connect(vertx, gatewayA.port(), alice);
    try (TestSocket second = TestSocket.connect(vertx, gatewayB.port(), alice);
        TestSocket bob = TestSocket.connect(vertx, gatewayA.port(), "/ws/echo?token=" + token("bob"))) {
      for (int port : new int[] {gatewayA.port(), gatewayB.port()}) {
        UpgradeRejectedException refused = refusal(port, alice);
        assertEquals(429, refused.getStatus());
        assertEquals("too-many-connections", refused.getBody().toJsonObject().getString("code"));
      }
      assertFalse(bob.isClosed(), "another user is counted apart");

      first.close();
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (refusal(gatewayA.port(), alice) != null) {
        assertTrue(System.nanoTime() < deadline, "a closed WebSocket stops counting for its user within 3 s");
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
      assertEquals(429, refusal(gatewayB.port(), alice).getStatus(), "the limit holds again");
    }
  }

  /** Null when the upgrade succeeds (the WebSocket is kept open), or why it was refused. */
  private UpgradeRejectedException refusal(int port, String path) {
    WebSocketClient client = vertx.createWebSocketClient();
    Throwable failure = TestCluster.awaitOn(vertx, () -> client.connect(port, "127.0.0.1", path)
        .map(ws -> (Throwable) null).otherwise(err -> err));
    return failure == null ? null : assertInstanceOf(UpgradeRejectedException.class, failure);
  }
}
