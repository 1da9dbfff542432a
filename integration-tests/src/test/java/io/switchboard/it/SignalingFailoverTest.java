package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.it.SignalingCluster.Gateway;
import io.switchboard.it.SignalingCluster.Peer;
import io.switchboard.signaling.SignalingServiceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signaling when a member dies or leaves: each test kills or stops a member, so each gets a cluster
 * of its own (two gateways, two signaling instances and an echo node) and no later test runs on a
 * damaged one.
 */
class SignalingFailoverTest {

  private static final int CAPACITY = 16;

  private SignalingCluster cluster;
  private ClusterNode signalingB;
  private Gateway gatewayA;
  private Gateway gatewayB;
  private WebClient http;

  @BeforeEach
  void startCluster() {
    cluster = new SignalingCluster(Map.of(), new SignalingServiceConfig(CAPACITY));
    cluster.startSignaling();
    signalingB = cluster.startSignaling();
    cluster.startEcho();
    gatewayA = cluster.startGateway();
    gatewayB = cluster.startGateway();
    http = WebClient.create(cluster.client);
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String room() {
    return "room-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aKilledGatewayNodesPeersAreEvictedAndOthersToldWithinTenSeconds() {
    Gateway doomed = cluster.startGateway();
    List<String> rooms = new ArrayList<>();
    List<Peer> survivors = new ArrayList<>();
    try (Peer a = cluster.connect(gatewayA); Peer victim = cluster.connect(doomed)) {
      String room = room();
      a.join(room);
      victim.join(room);
      a.next("peer-joined");
      // Many rooms, so that some of their partitions live on the member about to die.
      for (int i = 0; i < 20; i++) {
        Peer peer = cluster.connect(i % 2 == 0 ? gatewayA : gatewayB);
        survivors.add(peer);
        String r = room();
        rooms.add(r);
        peer.join(r);
      }
      long killedAt = System.nanoTime();
      doomed.node().hazelcast().getLifecycleService().terminate();
      assertEquals(peerEvent("peer-left", room, victim.id()),
          a.socket().nextOfType("peer-left", Duration.ofSeconds(10)));
      // The gateways announce the loss as soon as the cluster drops the node; signaling-service's
      // eviction from the room state must land within the same ten seconds.
      Poll.until(() -> roomPeers(gatewayB, room).equals(List.of(a.id())),
          Duration.ofSeconds(10).minusNanos(System.nanoTime() - killedAt), "the victim evicted from " + room);
      assertTrue(System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos());
      for (int i = 0; i < rooms.size(); i++) {
        assertEquals(List.of(survivors.get(i).id()), roomPeers(gatewayA, rooms.get(i)));
      }
    } finally {
      survivors.forEach(Peer::close);
      TestCluster.await(doomed.node().vertx().close().recover(err -> io.vertx.core.Future.succeededFuture()));
    }
  }

  @Test
  void stoppingOneOfTwoSignalingInstancesLosesNoRoomMembership() {
    List<Peer> peers = new ArrayList<>();
    List<String> roomList = new ArrayList<>();
    try {
      // Eight rooms of three, spread over both gateways.
      for (int i = 0; i < 24; i++) {
        Peer peer = cluster.connect(i % 2 == 0 ? gatewayA : gatewayB);
        peers.add(peer);
        roomList.add("keep-" + (i / 3));
        peer.join(roomList.get(i));
      }
      cluster.cluster.stopNode(signalingB);
      for (int i = 0; i < peers.size(); i++) {
        assertTrue(roomPeers(gatewayA, roomList.get(i)).contains(peers.get(i).id()),
            "peer " + i + " still in " + roomList.get(i));
      }
      // The remaining instance serves joins and leaves, and relays still flow.
      Peer first = peers.get(0);
      Peer second = peers.get(1);
      first.send(new JsonObject().put("type", "sdp").put("target", second.id()).put("sdp", "after"));
      assertEquals("after", second.next("sdp").getString("sdp"));
      try (Peer late = cluster.connect(gatewayB)) {
        assertEquals(3, late.join("keep-0").getJsonArray("peers").size());
      }
    } finally {
      peers.forEach(Peer::close);
    }
  }

  private static JsonObject peerEvent(String type, String room, String peer) {
    return new JsonObject().put("type", type).put("room", room).put("data", peer);
  }

  private List<String> roomPeers(Gateway gateway, String room) {
    HttpResponse<Buffer> response = TestCluster.awaitOn(cluster.client, () -> http.get(gateway.port(), "127.0.0.1",
        "/api/rooms/" + room).send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("peers").stream().map(Object::toString).toList();
  }
}
