package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.multimap.MultiMap;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** MembershipAwareClusterManagerTest runs members of a real cluster on loopback. */
class MembershipAwareClusterManagerTest {

  private static final String ADDRESS = "test.stale";

  @Test
  void aMemberPutsBackItsConsumersThatAnotherMemberRemovedFromTheTable() {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode consumer = cluster.startNode();
      ClusterNode sender = cluster.startNode();
      TestCluster.await(consumer.vertx().eventBus().<String>consumer(ADDRESS,
          message -> message.reply("here")).completion());
      assertEquals("here", ask(sender));

      // What a member waking up from a freeze does with its stale list of departed members.
      MultiMap<String, HazelcastRegistrationInfo> table =
          sender.hazelcast().getMultiMap(MembershipAwareClusterManager.SUBSCRIPTIONS);
      table.remove(ADDRESS);

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (table.get(ADDRESS).isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
      assertEquals(1, table.get(ADDRESS).size(), "the consumer is registered again");
      assertEquals("here", ask(sender));
    }
  }

  @Test
  void aDepartureReachesRoutingWhileVertxCleanupOfAnEarlierOneIsStuck() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      ClusterNode sender = cluster.startNode();
      ClusterNode staying = cluster.startNode();
      ClusterNode leaving = cluster.startNode();
      ClusterNode bystander = cluster.startNode();
      answerAs(staying, "staying");
      answerAs(leaving, "leaving");
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 20 && answered.size() < 2; i++) {
        answered.add(ask(sender));
      }
      assertEquals(Set.of("staying", "leaving"), answered, "requests go round robin to both consumers");

      // Vert.x's cleanup after a departure holds the cluster manager's lock while it scans the
      // table; one whose answer was lost waits for Hazelcast's operation timeout. Hold the lock of
      // every member that stays, as such a cleanup does, for the whole test.
      CountDownLatch release = new CountDownLatch(1);
      try {
        holdLock(sender.clusterManager(), release);
        holdLock(staying.clusterManager(), release);

        cluster.crashNode(bystander);
        awaitMembers(sender, 3);
        cluster.crashNode(leaving);
        awaitMembers(sender, 2);

        // Give routing a second at most after Hazelcast reported the departure.
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          answers.add(ask(sender));
        }
        assertEquals(Collections.nCopies(20, "staying"), answers,
            "every request after the departure goes to the consumer that stayed");
      } finally {
        release.countDown();
      }
    }
  }

  private static void answerAs(ClusterNode node, String name) {
    TestCluster.await(node.vertx().eventBus().<String>consumer(ADDRESS,
        message -> message.reply(name)).completion());
  }

  /** Holds {@code monitor} on a thread of its own until {@code release}; returns once it holds it. */
  private static void holdLock(Object monitor, CountDownLatch release) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      synchronized (monitor) {
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "test-lock-holder");
    holder.setDaemon(true);
    holder.start();
    held.await();
  }

  private static void awaitMembers(ClusterNode node, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (node.hazelcast().getCluster().getMembers().size() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the cluster did not come to " + count + " members");
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  private static String ask(ClusterNode from) {
    return TestCluster.await(from.vertx().eventBus().<String>request(ADDRESS, "?",
        new DeliveryOptions().setSendTimeout(2000)), Duration.ofSeconds(5)).body();
  }
}
