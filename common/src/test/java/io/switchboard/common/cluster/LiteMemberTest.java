package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** LiteMemberTest runs lite members against real data members on loopback. */
class LiteMemberTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void vertxStillHasTheMethodThatRepublishesANodesSubscriptions() {
    assertNotNull(VertxInternals.membersRemoved());
  }

  @Test
  void liteMemberIsReachableAgainOnceADataMemberReturnsAfterAllWereLost() {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode first = cluster.startNode();
      ClusterNode lite = TestCluster.await(ClusterBootstrap.start(cluster.config().asLiteMember(true),
          new VertxOptions()), WAIT);
      try {
        TestCluster.await(lite.vertx().eventBus().<String>consumer("lite.ping",
            message -> message.reply("pong")).completion());
        assertEquals("pong", ping(first));

        cluster.stopNode(first);
        ClusterNode second = cluster.startNode();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String answer = null;
        while (answer == null && System.nanoTime() < deadline) {
          try {
            answer = ping(second);
          } catch (RuntimeException | AssertionError notYet) {
            pause();
          }
        }
        assertEquals("pong", answer, "the lite member's consumer is reachable again");
      } finally {
        TestCluster.await(lite.vertx().close());
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String ping(ClusterNode from) {
    Future<Message<String>> reply = from.vertx().eventBus()
        .request("lite.ping", "ping", new DeliveryOptions().setSendTimeout(2000));
    return TestCluster.await(reply, Duration.ofSeconds(5)).body();
  }
}
