package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * BusProtocolTest sends requests between two members of a real cluster. The sender plays a member
 * of another release by rewriting the version header after this release stamped it: removed, as
 * a member older than the header sends, or set to another version. The tests share the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusProtocolTest {

  private static final String ADDRESS = "switchboard.test.bus-protocol";

  private final TestCluster cluster = new TestCluster();
  private final ClusterNode receiver = cluster.startNode();
  private final ClusterNode sender = cluster.startLiteNode();
  private final List<String> received = new CopyOnWriteArrayList<>();
  /** The header the sender's messages leave with; null removes it. */
  private volatile String senderVersion = String.valueOf(BusProtocol.VERSION);

  BusProtocolTest() {
    MessageConsumer<String> consumer = receiver.vertx().eventBus().consumer(ADDRESS, message -> {
      received.add(message.body() + "@" + BusProtocol.versionOf(message));
      message.reply("ok " + message.body());
    });
    TestCluster.await(consumer.completion());
    sender.vertx().eventBus().addOutboundInterceptor(this::playAnotherRelease);
  }

  @BeforeEach
  void speakThisRelease() {
    senderVersion = String.valueOf(BusProtocol.VERSION);
    received.clear();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private <T> void playAnotherRelease(DeliveryContext<T> delivery) {
    String version = senderVersion;
    if (version == null) {
      delivery.message().headers().remove(BusProtocol.HEADER);
    } else {
      delivery.message().headers().set(BusProtocol.HEADER, version);
    }
    delivery.next();
  }

  @Test
  void everyMessageCarriesThisReleasesVersionAndItsReplyToo() {
    Message<String> reply = request("a");
    assertEquals("ok a", reply.body());
    assertEquals(BusProtocol.VERSION, BusProtocol.versionOf(reply));
    assertEquals(List.of("a@" + BusProtocol.VERSION), received);
  }

  @Test
  void aMessageWithoutTheHeaderIsFromTheReleaseBeforeItAndIsDelivered() {
    senderVersion = null;
    assertEquals("ok old", request("old").body());
    assertEquals(List.of("old@" + BusProtocol.UNMARKED), received);
  }

  @Test
  void theVersionsNextToThisOneAreDelivered() {
    senderVersion = String.valueOf(BusProtocol.VERSION + 1);
    assertEquals("ok newer", request("newer").body());
    senderVersion = String.valueOf(BusProtocol.VERSION - 1);
    assertEquals("ok older", request("older").body());
    assertEquals(List.of("newer@" + (BusProtocol.VERSION + 1), "older@" + (BusProtocol.VERSION - 1)),
        received);
  }

  @Test
  void aRequestTwoReleasesAwayIsRefusedWithProtocolMismatchAndNeverReachesTheConsumer() {
    senderVersion = String.valueOf(BusProtocol.VERSION + 2);
    refused("far");
    senderVersion = "two";
    refused("unreadable");
    senderVersion = String.valueOf(BusProtocol.VERSION);
    // The positive signal: a message sent after the refused ones arrives, alone.
    request("after");
    assertEquals(List.of("after@" + BusProtocol.VERSION), received);
  }

  @Test
  void versionsSpokenAreThisOneAndTheOnesNextToIt() {
    assertTrue(BusProtocol.speaks(BusProtocol.VERSION - 1));
    assertTrue(BusProtocol.speaks(BusProtocol.VERSION));
    assertTrue(BusProtocol.speaks(BusProtocol.VERSION + 1));
    assertFalse(BusProtocol.speaks(BusProtocol.VERSION - 2));
    assertFalse(BusProtocol.speaks(BusProtocol.VERSION + 2));
    assertTrue(BusProtocol.speaks(BusProtocol.UNMARKED), "the release before the header");
  }

  private void refused(String body) {
    Future<Message<String>> reply = TestCluster.onContext(sender.vertx(),
        () -> sender.vertx().eventBus().<String>request(ADDRESS, body));
    Throwable cause = TestCluster.await(reply.transform(ar -> Future.succeededFuture(ar.cause())));
    assertTrue(cause instanceof ReplyException, "refused, not " + cause);
    ReplyException failure = (ReplyException) cause;
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure.failureType());
    assertEquals(ErrorCode.PROTOCOL_MISMATCH.busCode(), failure.failureCode());
    assertTrue(failure.getMessage().contains("bus protocol"), failure.getMessage());
  }

  private Message<String> request(String body) {
    return TestCluster.awaitOn(sender.vertx(), () -> sender.vertx().eventBus().<String>request(ADDRESS, body));
  }
}
