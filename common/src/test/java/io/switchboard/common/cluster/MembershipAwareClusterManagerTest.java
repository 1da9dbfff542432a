package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.multimap.MultiMap;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.time.Duration;
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

  private static String ask(ClusterNode from) {
    return TestCluster.await(from.vertx().eventBus().<String>request(ADDRESS, "?",
        new DeliveryOptions().setSendTimeout(2000)), Duration.ofSeconds(5)).body();
  }
}
