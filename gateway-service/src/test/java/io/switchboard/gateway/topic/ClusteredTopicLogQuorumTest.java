package io.switchboard.gateway.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.sse.PublishReply;
import io.switchboard.common.sse.PublishRequest;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.node.ClusterView;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publishes from a part of the cluster below CLUSTER_MIN_DATA_MEMBERS, on a plain Vert.x. */
class ClusteredTopicLogQuorumTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  /** A gateway's view with {@code dataMembers} of the 3 data members the cluster needs. */
  private static ClusterView withDataMembers(int dataMembers) {
    return new ClusterView() {
      @Override
      public String nodeId() {
        return "gateway-node";
      }

      @Override
      public String clusterName() {
        return "test";
      }

      @Override
      public boolean joined() {
        return true;
      }

      @Override
      public int memberCount() {
        return dataMembers + 1;
      }

      @Override
      public int dataMemberCount() {
        return dataMembers;
      }

      @Override
      public int minDataMembers() {
        return 3;
      }
    };
  }

  @Test
  void aGatewayCutOffFromEveryDataMemberRefusesAPublishWithNoQuorumAtOnceAndSendsNothing() {
    List<String> stored = new ArrayList<>();
    TestCluster.await(vertx.eventBus().consumer(Addresses.SSE_PUBLISH, message -> {
      String topic = message.body().toString().contains("alone") ? "alone" : "majority";
      stored.add(topic);
      message.reply(new PublishReply(topic, "e-" + stored.size(), false).toJson());
    }).completion());
    Duration timeout = Duration.ofSeconds(30);

    ClusteredTopicLog alone = new ClusteredTopicLog(vertx, timeout, withDataMembers(0));
    AssertionError refused = assertThrows(AssertionError.class,
        () -> TestCluster.await(alone.append(new PublishRequest("alone", null, "1", "key-1"))));
    ReplyException reply = assertInstanceOf(ReplyException.class, refused.getCause());
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType());
    assertEquals(ErrorCode.NO_QUORUM.busCode(), reply.failureCode());

    // The same publish from a part that has its data members is sent, and is the only one stored.
    ClusteredTopicLog majority = new ClusteredTopicLog(vertx, timeout, withDataMembers(3));
    PublishReply accepted = TestCluster.await(majority.append(new PublishRequest("majority", null, "1", "key-1")));
    assertEquals("majority", accepted.topic());
    assertEquals(List.of("majority"), stored);
  }
}
