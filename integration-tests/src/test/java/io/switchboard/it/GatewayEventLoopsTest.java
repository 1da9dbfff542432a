package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.sse.SseVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway serves its connections on several event loops: Vert.x hands new connections to its
 * loops in turn. Peers on different loops of one gateway, and on different gateways, reach each
 * other; the streams of every loop get every event; a client that stops reading is dropped
 * whichever loop it is on.
 */
class GatewayEventLoopsTest {

  private static final int LOOPS = 3;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static SignalingCluster cluster;
  private static GatewayVerticle gatewayA;
  private static int portA;
  private static int portB;
  private static Vertx vertx;
  private static WebClient web;

  @BeforeAll
  static void startCluster() {
    cluster = new SignalingCluster(Map.of(), new SignalingServiceConfig(64));
    cluster.startSignaling();
    ClusterNode sse = cluster.cluster.startNode();
    TestCluster.await(sse.vertx().deployVerticle(
        new SseVerticle(sse.nodeId(), sse.hazelcast(), SseServiceConfig.defaults())));
    gatewayA = gateway();
    portA = gatewayA.actualPort();
    portB = gateway().actualPort();
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  private static GatewayVerticle gateway() {
    ClusterNode node = cluster.cluster.startNode();
    GatewayVerticle verticle = new GatewayVerticle(TestConfigs.gateway(Map.of(
        "GATEWAY_EVENT_LOOPS", String.valueOf(LOOPS), "SIGNALING_MAX_QUEUED_FRAMES", "16",
        "SIGNALING_RATE_PER_SECOND", "1000", "SIGNALING_RATE_BURST", "1000")), ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(verticle));
    return verticle;
  }

  @AfterAll
  static void stopCluster() {
    if (web != null) {
      web.close();
    }
    if (vertx != null) {
      TestCluster.await(vertx.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String name() {
    return "l-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void newConnectionsAreHandedToEveryEventLoopInTurn() {
    // Connections other tests closed may still be closing.
    Poll.until(() -> gatewayA.connectionsPerEventLoop().stream().mapToInt(Integer::intValue).sum() == 0,
        WAIT, "no connections on gateway A");
    List<Integer> before = gatewayA.connectionsPerEventLoop();
    assertEquals(LOOPS, before.size());
    List<SignalingCluster.Peer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < LOOPS * 2; i++) {
        peers.add(cluster.connect(new SignalingCluster.Gateway(null, portA)));
      }
      List<Integer> after = gatewayA.connectionsPerEventLoop();
      for (int loop = 0; loop < LOOPS; loop++) {
        assertEquals(before.get(loop) + 2, after.get(loop), "loop " + loop + " of " + after);
      }
    } finally {
      peers.forEach(SignalingCluster.Peer::close);
    }
  }

  @Test
  void peersOnEveryEventLoopRelayToEachOtherAndAcrossGateways() {
    String room = name();
    List<SignalingCluster.Peer> peers = new ArrayList<>();
    try {
      // Consecutive connections land on consecutive loops: one peer per loop of gateway A.
      for (int i = 0; i < LOOPS; i++) {
        peers.add(cluster.connect(new SignalingCluster.Gateway(null, portA)));
      }
      peers.add(cluster.connect(new SignalingCluster.Gateway(null, portB)));
      for (SignalingCluster.Peer peer : peers) {
        peer.join(room);
      }
      // Each peer learns of those that joined after it before it can address them.
      for (int i = 0; i < peers.size(); i++) {
        for (int later = i + 1; later < peers.size(); later++) {
          assertEquals(peers.get(later).id(), peers.get(i).next("peer-joined").getString("data"));
        }
      }
      for (SignalingCluster.Peer from : peers) {
        for (SignalingCluster.Peer to : peers) {
          if (from == to) {
            continue;
          }
          from.send(new JsonObject().put("type", "sdp").put("target", to.id())
              .put("data", new JsonObject().put("sdp", from.id() + ">" + to.id())));
          JsonObject relayed;
          try {
            relayed = to.socket().nextOfType("sdp", WAIT);
          } catch (AssertionError e) {
            throw new AssertionError("relay " + peers.indexOf(from) + " to " + peers.indexOf(to) + ": sender got "
                + from.socket().next(Duration.ofSeconds(1)), e);
          }
          assertEquals(from.id(), relayed.getString("from"));
          assertEquals(from.id() + ">" + to.id(), relayed.getJsonObject("data").getString("sdp"));
        }
      }
      SignalingCluster.Peer leaving = peers.remove(0);
      leaving.close();
      for (SignalingCluster.Peer peer : peers) {
        assertEquals(leaving.id(), nextLeft(peer));
      }
    } finally {
      peers.forEach(SignalingCluster.Peer::close);
    }
  }

  private static String nextLeft(SignalingCluster.Peer peer) {
    return peer.next("peer-left").getString("data");
  }

  @Test
  void streamsOnEveryEventLoopReceiveEveryEventInOrder() {
    String topic = name();
    List<SseClient> streams = new ArrayList<>();
    try {
      for (int i = 0; i < LOOPS * 2; i++) {
        SseClient stream = SseClient.connect(vertx, portA, "/sse/" + topic);
        assertTrue(stream.nextComment(WAIT).startsWith("stream"));
        streams.add(stream);
      }
      assertEquals(LOOPS * 2, gatewayA.sseStreams().subscriberCount(topic));
      int count = 20;
      for (int i = 0; i < count; i++) {
        SseNodes.publishData(vertx, web, i % 2 == 0 ? portA : portB, topic, i);
      }
      for (SseClient stream : streams) {
        List<SseClient.Event> events = stream.next(count, WAIT);
        for (int i = 0; i < count; i++) {
          assertEquals(String.valueOf(i), events.get(i).data());
        }
      }
    } finally {
      streams.forEach(SseClient::close);
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedWhicheverLoopItIsOn() {
    String room = name();
    List<SignalingCluster.Peer> stalled = new ArrayList<>();
    try (SignalingCluster.Peer sender = cluster.connect(new SignalingCluster.Gateway(null, portB))) {
      for (int i = 0; i < LOOPS; i++) {
        SignalingCluster.Peer peer = cluster.connectSlowReader(new SignalingCluster.Gateway(null, portA));
        peer.join(room);
        peer.socket().raw().pause();
        stalled.add(peer);
      }
      sender.join(room);
      String chunk = "x".repeat(12_000);
      for (int i = 0; i < 300; i++) {
        sender.send(new JsonObject().put("type", "broadcast").put("data", chunk));
      }
      Set<String> left = new HashSet<>();
      for (int i = 0; i < LOOPS; i++) {
        left.add(nextLeft(sender));
      }
      assertEquals(stalled.stream().map(SignalingCluster.Peer::id).collect(Collectors.toSet()), left);
      // The sender reads, and nothing was dropped for it.
      assertTrue(!sender.socket().isClosed());
    } finally {
      stalled.forEach(SignalingCluster.Peer::close);
    }
  }
}
