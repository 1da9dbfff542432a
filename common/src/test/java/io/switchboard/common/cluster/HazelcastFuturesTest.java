package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** HazelcastFuturesTest runs cluster calls on a real member and follows where their outcomes land. */
class HazelcastFuturesTest {

  private static final int CALLS = 300;

  @Test
  void clusterCallsCompleteOnTheCallersContextWithoutStartingAThreadEach() {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode node = cluster.startNode();
      IMap<String, Integer> map = node.hazelcast().getMap("hazelcast-futures-test");
      Context context = node.vertx().getOrCreateContext();
      AtomicInteger offContext = new AtomicInteger();
      long threadsBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();

      List<Integer> values = TestCluster.awaitOn(node.vertx(), () -> {
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          String key = "k" + i;
          calls.add(HazelcastFutures.onContext(map.putAsync(key, 1), context)
              .compose(previous -> HazelcastFutures.onContext(map.getAsync(key), context))
              .onComplete(ar -> {
                if (Vertx.currentContext() != context) {
                  offContext.incrementAndGet();
                }
              }));
        }
        return Future.all(calls).map(all -> all.<Integer>list());
      });

      long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threadsBefore;
      assertEquals(CALLS, values.stream().filter(v -> v == 1).count(), "every read saw its write");
      assertEquals(0, offContext.get(), "every outcome is delivered on the caller's context");
      assertTrue(started < CALLS / 10, "threads started for " + 2 * CALLS + " cluster calls: " + started);
    }
  }

  @Test
  void aFailedClusterCallFailsTheFuture() {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode node = cluster.startNode();
      IMap<String, Integer> map = node.hazelcast().getMap("hazelcast-futures-test");
      Context context = node.vertx().getOrCreateContext();
      Throwable failure = TestCluster.awaitOn(node.vertx(), () -> HazelcastFutures.onContext(
          map.submitToKey("k", entry -> {
            throw new IllegalStateException("refused");
          }), context).map(v -> (Throwable) null).recover(Future::succeededFuture));
      assertTrue(String.valueOf(failure).contains("refused"), "the failure travels: " + failure);
    }
  }

  @Test
  void aCallOnAMemberThatLeftTheClusterIsAFailedFutureNotAThrow() {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode node = cluster.startNode();
      IMap<String, Integer> map = node.hazelcast().getMap("hazelcast-futures-test");
      Context context = node.vertx().getOrCreateContext();
      node.hazelcast().getLifecycleService().terminate();

      Throwable failure = TestCluster.awaitOn(node.vertx(), () -> HazelcastFutures.call(
          () -> map.submitToKey("k", entry -> 1), context).map(v -> (Throwable) null).recover(Future::succeededFuture));
      assertTrue(failure instanceof HazelcastInstanceNotActiveException, "the failure: " + failure);
    }
  }
}
