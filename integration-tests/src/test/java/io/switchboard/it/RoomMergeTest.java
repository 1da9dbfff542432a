package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.testing.TestSocket;
import io.switchboard.it.net.NetworkPartition;
import io.switchboard.it.net.PartitionSide;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A signaling room through a real network partition and its heal: two sides, each with a
 * signaling-service and a gateway process, both accepting joins while split
 * ({@code CLUSTER_MIN_DATA_MEMBERS=1}), into the same room of capacity 3. Once the cluster merges,
 * the room holds the three earliest joiners of both sides, the later ones are told they are out,
 * and everyone else hears exactly who joined on the other side and who was removed.
 */
class RoomMergeTest {

  private static final Duration START = Duration.ofSeconds(180);
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Long enough for a merge, which Hazelcast looks for every 5 seconds, and its reconciliation. */
  private static final Duration MERGE = Duration.ofSeconds(90);
  private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+)");
  private static final Map<String, String> SIGNALING = Map.of("SIGNALING_ROOM_CAPACITY", "3",
      "CLUSTER_MIN_DATA_MEMBERS", "1");
  private static final Map<String, String> GATEWAY = Map.of("SIGNALING_REQUEST_TIMEOUT_MS", "3000",
      "CLUSTER_MIN_DATA_MEMBERS", "1");

  private final Vertx client = Vertx.vertx();

  @Test
  void afterAHealTheRoomKeepsItsEarliestJoinersAndEveryPeerHearsWhatChanged() throws Exception {
    try (NetworkPartition network = NetworkPartition.create(2)) {
      PartitionSide sideA = network.side(0);
      PartitionSide sideB = network.side(1);
      ServiceProcess signalingA = sideA.start("room-merge-signaling-a", "signaling-service", SIGNALING);
      ServiceProcess signalingB = sideB.start("room-merge-signaling-b", "signaling-service", SIGNALING);
      ServiceProcess gatewayA = sideA.start("room-merge-gateway-a", "gateway-service", GATEWAY);
      ServiceProcess gatewayB = sideB.start("room-merge-gateway-b", "gateway-service", GATEWAY);
      List<ServiceProcess> all = List.of(signalingA, signalingB, gatewayA, gatewayB);
      for (ServiceProcess process : all) {
        process.awaitStarted(START);
      }
      int portA = gatewayA.awaitHttpPort(START);
      int portB = gatewayB.awaitHttpPort(START);
      int apiA = sideA.forward(portA);
      int apiB = sideB.forward(portB);
      for (ServiceProcess process : all) {
        awaitMembers(process, 4);
      }
      String room = "merge-" + UUID.randomUUID().toString().substring(0, 8);

      // Before the split: alice on side A, bob on side B.
      Peer alice = connect(sideA, portA);
      Peer bob = connect(sideB, portB);
      alice.join(room);
      bob.join(room);
      alice.expect(presence("peer-joined", room, bob.id));

      network.split();
      awaitMembers(signalingA, 2);
      awaitMembers(signalingB, 2);
      // Each side's gateway announces the other side's peers gone, and its signaling evicts them.
      alice.expect(presence("peer-left", room, bob.id));
      bob.expect(presence("peer-left", room, alice.id));
      awaitPeers(apiA, room, List.of(alice.id));
      awaitPeers(apiB, room, List.of(bob.id));

      // During the split both sides take joins, alternately: carol, dave, erin, frank.
      Peer carol = connect(sideA, portA);
      carol.join(room);
      Peer dave = connect(sideB, portB);
      dave.join(room);
      Peer erin = connect(sideA, portA);
      erin.join(room);
      Peer frank = connect(sideB, portB);
      frank.join(room);
      alice.expect(presence("peer-joined", room, carol.id));
      alice.expect(presence("peer-joined", room, erin.id));
      carol.expect(presence("peer-joined", room, erin.id));
      bob.expect(presence("peer-joined", room, dave.id));
      bob.expect(presence("peer-joined", room, frank.id));
      dave.expect(presence("peer-joined", room, frank.id));
      awaitPeers(apiA, room, List.of(alice.id, carol.id, erin.id));
      awaitPeers(apiB, room, List.of(bob.id, dave.id, frank.id));

      network.heal();

      // Six members in join order, capacity 3: dave, erin and frank, the latest, are out.
      JsonObject out = new JsonObject().put("type", "left").put("room", room).put("reason", "over-capacity");
      erin.expectNext(MERGE, out);
      dave.expectNext(MERGE, out);
      frank.expectNext(MERGE, out);
      alice.expectNext(MERGE, presence("peer-left", room, erin.id), presence("peer-joined", room, bob.id));
      carol.expectNext(MERGE, presence("peer-left", room, erin.id), presence("peer-joined", room, bob.id));
      bob.expectNext(MERGE, presence("peer-left", room, dave.id), presence("peer-left", room, frank.id),
          presence("peer-joined", room, alice.id), presence("peer-joined", room, carol.id));
      // Nothing else came with those: the answer to a message sent now is the next frame.
      for (Peer peer : List.of(alice, carol, bob)) {
        peer.expectMarkerAnswer();
      }
      for (Peer removed : List.of(erin, dave, frank)) {
        removed.send(new JsonObject().put("type", "leave"));
        removed.expectNext(WAIT, new JsonObject().put("type", "error").put("code", "not-joined")
            .put("message", "Not in a room"));
      }

      List<String> kept = List.of(alice.id, bob.id, carol.id);
      awaitPeers(apiA, room, kept);
      awaitPeers(apiB, room, kept);
      // The peers of both sides reach each other again.
      bob.send(new JsonObject().put("type", "broadcast").put("data", "hello"));
      alice.expectNext(WAIT, new JsonObject().put("type", "broadcast").put("room", room)
          .put("from", bob.id).put("data", "hello"));
    } finally {
      client.close();
    }
  }

  private Peer connect(PartitionSide side, int port) {
    TestSocket socket = TestSocket.connect(client, side.address(), port, "/ws/signaling");
    return new Peer(socket, socket.nextOfType("welcome", WAIT).getString("id"));
  }

  private static JsonObject presence(String type, String room, String peer) {
    return new JsonObject().put("type", type).put("room", room).put("data", peer);
  }

  /** Waits until the gateway's room API lists exactly {@code peers}, in this order. */
  private static void awaitPeers(int port, String room, List<String> peers) {
    Http.poll(port, "/api/rooms/" + room,
        response -> response.statusCode() == 200
            && Http.json(response).getJsonArray("peers", new JsonArray()).getList().equals(peers),
        MERGE);
  }

  /** Waits until the member's latest member list, as Hazelcast logs it, has {@code size} members. */
  private static void awaitMembers(ServiceProcess process, int size) {
    long deadline = System.nanoTime() + MERGE.toNanos();
    String last = "none";
    while (System.nanoTime() < deadline) {
      Matcher matcher = MEMBERS.matcher(process.output());
      while (matcher.find()) {
        last = matcher.group(1);
      }
      if (last.equals(String.valueOf(size))) {
        return;
      }
      ServiceProcess.pause(200);
    }
    throw new AssertionError(process + " did not see " + size + " members (last " + last + ")");
  }

  /** A signaling client and the peer id it was given. */
  private record Peer(TestSocket socket, String id) {

    void send(JsonObject frame) {
      socket.send(frame);
    }

    /** Joins, trying again while a side's signaling-service is not reachable yet. */
    void join(String room) {
      long deadline = System.nanoTime() + MERGE.toNanos();
      while (true) {
        socket.send(new JsonObject().put("type", "join").put("room", room));
        JsonObject answer = socket.nextJson(WAIT);
        if ("joined".equals(answer.getString("type"))) {
          return;
        }
        boolean retry = "error".equals(answer.getString("type"))
            && List.of("timeout", "service-unavailable", "internal").contains(answer.getString("code"));
        if (!retry || System.nanoTime() > deadline) {
          throw new AssertionError(id + " could not join " + room + ": " + answer.encode());
        }
        ServiceProcess.pause(500);
      }
    }

    /** Skips frames until {@code frame}. */
    void expect(JsonObject frame) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<JsonObject> skipped = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        JsonObject next = socket.nextJson(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (next.equals(frame)) {
          return;
        }
        skipped.add(next);
      }
      throw new AssertionError(id + " did not get " + frame.encode() + "; got " + skipped);
    }

    /** The next frames are exactly {@code frames}, the first within {@code timeout}. */
    void expectNext(Duration timeout, JsonObject... frames) {
      List<JsonObject> got = new ArrayList<>();
      try {
        got.add(socket.nextJson(timeout));
        for (int i = 1; i < frames.length; i++) {
          got.add(socket.nextJson(WAIT));
        }
      } catch (AssertionError quiet) {
        throw new AssertionError(id + " expected " + List.of(frames) + " but got only " + got, quiet);
      }
      assertEquals(List.of(frames), got, "frames of " + id);
    }

    /** A message that answers with an error is answered next: nothing else was written before. */
    void expectMarkerAnswer() {
      socket.send(new JsonObject().put("type", "marker"));
      expectNext(WAIT, new JsonObject().put("type", "error").put("code", "unknown-type")
          .put("message", "Unknown message type 'marker'"));
    }
  }
}
