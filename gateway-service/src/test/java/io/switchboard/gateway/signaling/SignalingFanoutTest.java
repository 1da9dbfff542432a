package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.switchboard.common.Addresses;
import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.JoinRequest;
import io.switchboard.common.signaling.LeaveReply;
import io.switchboard.common.signaling.LeaveRequest;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.FakeWebSocket;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.SocketAuth;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries to the members of a room on one event loop, when the socket of one member closed
 * under its session: the client's close frame arrived, so Vert.x counts the socket closed, but its
 * close handler has not run yet.
 */
class SignalingFanoutTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String NODE = "gateway-a";
  private static final String ROOM = "standup";

  private final Vertx vertx = Vertx.vertx();
  private final SignalingNode node = new SignalingNode(vertx, NODE, TestConfigs.signaling());
  /** The room as the stand-in signaling-service keeps it: peer to node, in join order. */
  private final Map<String, String> members = new LinkedHashMap<>();
  private final BlockingQueue<LeaveRequest> leaves = new LinkedBlockingQueue<>();
  private final List<FakeWebSocket> sockets = new ArrayList<>();
  private final List<CompletableFuture<Void>> closed = new ArrayList<>();
  private final List<String> peerIds = new ArrayList<>();
  private Context context;
  private volatile long version;

  @BeforeEach
  void fourMembersOfOneRoom() throws InterruptedException {
    TestCluster.await(vertx.eventBus().<JsonObject>consumer(Addresses.SIGNALING_ROOMS, this::signaling)
        .completion());
    context = vertx.getOrCreateContext();
    Promise<SignalingLoop> created = Promise.promise();
    context.runOnContext(v -> created.complete(node.addLoop(context)));
    SignalingLoop loop = TestCluster.await(created.future());
    TestCluster.await(node.ready());
    Promise<Void> joining = Promise.promise();
    context.runOnContext(v -> {
      // Joined in this order, they are delivered to in this order: the second is in the middle.
      for (int i = 0; i < 4; i++) {
        FakeWebSocket socket = new FakeWebSocket();
        CompletableFuture<Void> onClose = new CompletableFuture<>();
        loop.session(socket.socket(), TestConfigs.signaling(), SocketAuth.open().access(vertx, Grants.open()),
            () -> onClose.complete(null)).start();
        socket.receive(new JsonObject().put("type", "join").put("room", ROOM).encode());
        sockets.add(socket);
        closed.add(onClose);
      }
      joining.complete();
    });
    TestCluster.await(joining.future());
    for (FakeWebSocket socket : sockets) {
      peerIds.add(socket.nextOfType("joined", WAIT).getString("id"));
    }
  }

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  /** A stand-in for signaling-service's rooms: answers joins with the members, records leaves. */
  private void signaling(Message<JsonObject> request) {
    if (SignalingProtocol.OP_JOIN.equals(SignalingProtocol.op(request.body()))) {
      JoinRequest join = JoinRequest.fromJson(request.body());
      members.put(join.peer(), join.node());
      request.reply(new JoinReply(join.room(), ++version, members, null).toJson());
    } else {
      LeaveRequest leave = LeaveRequest.fromJson(request.body());
      leaves.add(leave);
      request.reply(new LeaveReply(leave.room(), members.remove(leave.peer()) != null).toJson());
    }
  }

  private void closeTheMiddleSocketAndDeliver(PresenceEvent presence) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      sockets.get(1).closeUnderItsSession();
      done.complete();
    });
    TestCluster.await(done.future());
    vertx.eventBus().send(Addresses.gatewaySignaling(NODE), presence.toJson());
  }

  private static JsonObject frame(String type, String peer) {
    return new JsonObject().put("type", type).put("room", ROOM).put("data", peer);
  }

  @Test
  void oneClosedSocketInAPresenceBatchDoesNotStopTheOthers() throws InterruptedException {
    closeTheMiddleSocketAndDeliver(PresenceEvent.joined(ROOM, version + 1, "newcomer", "gateway-b"));
    vertx.eventBus().send(Addresses.gatewaySignaling(NODE),
        PresenceEvent.left(ROOM, version + 2, List.of("newcomer")).toJson());
    for (int i : new int[] {0, 2, 3}) {
      assertEquals(frame("peer-joined", "newcomer"), sockets.get(i).next(WAIT));
      assertEquals(frame("peer-left", "newcomer"), sockets.get(i).next(WAIT));
    }
    // The last member got both events, so the closed one had its turn, twice, and took nothing.
    assertNull(sockets.get(1).pending());
  }

  @Test
  void aSessionWhoseSocketClosedUnderItLeavesItsRoomWithoutWaitingForTheCloseHandler()
      throws Exception {
    closeTheMiddleSocketAndDeliver(PresenceEvent.joined(ROOM, version + 1, "newcomer", "gateway-b"));
    LeaveRequest leave = leaves.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(new LeaveRequest(ROOM, peerIds.get(1)), leave);
    closed.get(1).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(frame("peer-joined", "newcomer"), sockets.get(2).next(WAIT));
  }

  @Test
  void aBroadcastReachesTheMembersAfterAClosedSocket() throws InterruptedException {
    Promise<Void> sent = Promise.promise();
    context.runOnContext(v -> {
      sockets.get(1).closeUnderItsSession();
      sent.complete();
      // The last to join knows the others from its join reply; the broadcast goes to the room in
      // join order, and back to every member but its sender.
      sockets.get(3).receive(new JsonObject().put("type", "broadcast").put("data", "hello").encode());
    });
    TestCluster.await(sent.future());
    JsonObject broadcast = new JsonObject().put("type", "broadcast").put("room", ROOM)
        .put("from", peerIds.get(3)).put("data", "hello");
    assertEquals(broadcast, sockets.get(0).next(WAIT));
    assertEquals(broadcast, sockets.get(2).next(WAIT));
  }
}
