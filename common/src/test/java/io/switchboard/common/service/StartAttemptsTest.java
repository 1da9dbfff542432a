package io.switchboard.common.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.OperationTimeoutException;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A member whose start cannot complete its cluster calls is dropped, and the process joins again as a
 * new member, a bounded number of times; a failure that is not the cluster's ends the start at once.
 */
class StartAttemptsTest {

  private static final Duration ATTEMPT = Duration.ofSeconds(3);

  @Test
  void aStartWhoseClusterCallsDoNotCompleteJoinsAgainAsANewMemberAndTheFirstLeavesTheCluster()
      throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode keeper = cluster.startNode();
      List<ClusterNode> joined = new ArrayList<>();
      StartAttempts<ClusterNode> attempts = new StartAttempts<>("test-service", 3, ATTEMPT,
          recorded(cluster::startLiteNode, joined), node -> joined.size() == 1 ? Promise.promise().future() : Future.succeededFuture(),
          cluster::crashNode);

      ClusterNode started = attempts.start();

      assertEquals(2, joined.size(), "one more member joined after the first start did not complete");
      assertSame(joined.get(1), started, "the service runs on the second member");
      assertFalse(joined.get(0).hazelcast().getLifecycleService().isRunning(),
          "the first member was dropped");
      Set<UUID> expected = Set.of(keeper.hazelcast().getCluster().getLocalMember().getUuid(),
          started.hazelcast().getCluster().getLocalMember().getUuid());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Set<UUID> members = members(keeper);
      while (!members.equals(expected) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        members = members(keeper);
      }
      assertEquals(expected, members, "the cluster holds the keeper and the new member, not the dropped one");
    }
  }

  /** Joins as {@code join} does, and adds each member to {@code joined}. */
  private static Supplier<ClusterNode> recorded(Supplier<ClusterNode> join, List<ClusterNode> joined) {
    return () -> {
      ClusterNode node = join.get();
      joined.add(node);
      return node;
    };
  }

  private static Set<UUID> members(ClusterNode node) {
    return node.hazelcast().getCluster().getMembers().stream().map(Member::getUuid)
        .collect(Collectors.toSet());
  }

  @Test
  void aStartThatFailsForAReasonOfItsOwnIsNotTriedAgain() {
    try (TestCluster cluster = new TestCluster()) {
      List<ClusterNode> joined = new ArrayList<>();
      StartAttempts<ClusterNode> attempts = new StartAttempts<>("test-service", 3, ATTEMPT,
          recorded(cluster::startNode, joined), node -> Future.failedFuture(new BindException("Address already in use")), cluster::crashNode);

      StartAttempts.StartFailed failed = assertThrows(StartAttempts.StartFailed.class, attempts::start);

      assertInstanceOf(BindException.class, failed.getCause());
      assertEquals(1, joined.size(), "no other member joined");
      assertFalse(joined.get(0).hazelcast().getLifecycleService().isRunning(), "the member left");
    }
  }

  @Test
  void theLastAttemptThatDoesNotCompleteEndsTheStartWithEveryMemberGone() {
    try (TestCluster cluster = new TestCluster()) {
      List<ClusterNode> joined = new ArrayList<>();
      StartAttempts<ClusterNode> attempts = new StartAttempts<>("test-service", 2, ATTEMPT,
          recorded(cluster::startNode, joined), node -> Promise.promise().future(), cluster::crashNode);

      StartAttempts.StartFailed failed = assertThrows(StartAttempts.StartFailed.class, attempts::start);

      assertInstanceOf(TimeoutException.class, failed.getCause());
      assertTrue(failed.getMessage().contains("attempt 2 of 2"), failed.getMessage());
      assertEquals(2, joined.size());
      joined.forEach(node -> assertFalse(node.hazelcast().getLifecycleService().isRunning()));
    }
  }

  @Test
  void hazelcastFailuresAndTimeoutsAreTheClustersAndOthersAreNot() {
    assertTrue(StartAttempts.isClusterFailure(new TimeoutException()));
    assertTrue(StartAttempts.isClusterFailure(
        new RuntimeException("index", new OperationTimeoutException("no answer"))));
    assertFalse(StartAttempts.isClusterFailure(new BindException("Address already in use")));
    assertFalse(StartAttempts.isClusterFailure(new IllegalArgumentException("bad value")));
  }
}
