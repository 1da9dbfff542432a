package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.limits.Admission;
import io.switchboard.gateway.limits.ConnectionLimits;
import io.switchboard.gateway.limits.LimitsConfig;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code LIMIT_CONNECTIONS_PER_USER} across the cluster: the admissions of two gateway nodes,
 * Hazelcast lite members as in production, over the per-user counts on two data members. Each test
 * gets a cluster of its own, since one of them kills a gateway.
 */
class UserConnectionLimitTest {

  private static final int LIMIT = 5;
  private static final String ADDRESS = "203.0.113.7";

  private TestCluster cluster;
  private ConnectionLimits gatewayA;
  private ConnectionLimits gatewayB;
  private ClusterNode nodeB;
  private final String user = "user-" + UUID.randomUUID();

  @BeforeEach
  void startCluster() {
    cluster = new TestCluster();
    cluster.startNode();
    cluster.startNode();
    gatewayA = limits(cluster.startLiteNode());
    nodeB = cluster.startLiteNode();
    gatewayB = limits(nodeB);
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private static ConnectionLimits limits(ClusterNode node) {
    LimitsConfig config = LimitsConfig.from(new Env(Map.of("LIMIT_CONNECTIONS_PER_USER", String.valueOf(LIMIT))));
    ConnectionLimits limits = new ConnectionLimits(node.vertx(), config, ClusterView.of(node).userConnections(),
        new LimitLog(LoggerFactory.getLogger(UserConnectionLimitTest.class)));
    limits.start();
    return limits;
  }

  @Test
  void concurrentConnectsOfOneUserOnTwoGatewaysAreAdmittedUpToTheLimitAndNoFurther() {
    List<Future<Admission>> connects = new ArrayList<>();
    for (int i = 0; i < 3 * LIMIT; i++) {
      connects.add(gatewayA.admit(ADDRESS, user));
      connects.add(gatewayB.admit(ADDRESS, user));
    }
    List<Admission> granted = new ArrayList<>();
    for (Future<Admission> connect : connects) {
      Admission admission = TestCluster.await(connect);
      if (admission.granted()) {
        granted.add(admission);
      } else {
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, admission.refusal());
      }
    }
    assertEquals(LIMIT, granted.size());
    assertTrue(TestCluster.await(gatewayA.admit(ADDRESS, "another-" + user)).granted(),
        "another user is counted apart");

    granted.get(0).release();
    Admission again = admitWithin(gatewayB, Duration.ofSeconds(3), "a closed connection stops counting within 3 s");
    assertFalse(TestCluster.await(gatewayA.admit(ADDRESS, user)).granted(), "the limit holds again");
    again.release();
  }

  @Test
  void theConnectionsOfAKilledGatewayStopCountingWithinTenSeconds() {
    for (int i = 0; i < 2; i++) {
      assertTrue(TestCluster.await(gatewayA.admit(ADDRESS, user)).granted());
    }
    for (int i = 0; i < LIMIT - 2; i++) {
      assertTrue(TestCluster.await(gatewayB.admit(ADDRESS, user)).granted());
    }
    assertFalse(TestCluster.await(gatewayA.admit(ADDRESS, user)).granted());

    cluster.crashNode(nodeB);
    admitWithin(gatewayA, Duration.ofSeconds(10), "the killed gateway's connections stop counting within 10 s");
    for (int i = 0; i < LIMIT - 3; i++) {
      assertTrue(TestCluster.await(gatewayA.admit(ADDRESS, user)).granted(), "room for " + (LIMIT - 2));
    }
    assertFalse(TestCluster.await(gatewayA.admit(ADDRESS, user)).granted(), "the survivor's own still count");
  }

  /** Admits the user on {@code gateway} as soon as it may be, failing after {@code within}. */
  private Admission admitWithin(ConnectionLimits gateway, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Admission admission = TestCluster.await(gateway.admit(ADDRESS, user));
      if (admission.granted()) {
        return admission;
      }
      assertTrue(System.nanoTime() < deadline, what);
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
