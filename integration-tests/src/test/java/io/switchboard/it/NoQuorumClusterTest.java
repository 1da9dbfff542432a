package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.cluster.DataQuorum;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.common.testing.TestSocket;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.sse.SseVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NoQuorumClusterTest proves {@code CLUSTER_MIN_DATA_MEMBERS}: three data members running
 * sse-service and signaling-service with a minimum of 2, and a gateway that is a lite member. With
 * one data member left, publishes (with and without an idempotency key) answer 503
 * {@code no-quorum} and store nothing, a join is answered with a {@code no-quorum} error frame on a
 * connection that stays usable, and history and room reads go on; with a second data member back,
 * writes are accepted again, and the peers of a gateway lost meanwhile are evicted. Its cluster is
 * its own: members are stopped and killed.
 */
class NoQuorumClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration MEMBERSHIP = Duration.ofSeconds(60);
  private static final String TOPIC = "quorum-topic";

  private final TestCluster cluster = new TestCluster().requireDataMembers(2);
  private final Vertx client = Vertx.vertx();
  private final WebClient web = WebClient.create(client);
  private final List<TestSocket> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(TestSocket::close);
    web.close();
    TestCluster.await(client.close());
    cluster.close();
  }

  private ClusterNode last;
  private int gateway;
  private Peer peer;

  @Test
  void writesAreRefusedWithNoQuorumBelowTheMinimumAndAcceptedAgainOnceAMemberIsBack() {
    ClusterNode first = startDataMember();
    ClusterNode second = startDataMember();
    last = startDataMember();
    gateway = startGateway(cluster.startLiteNode());
    ClusterNode otherGateway = cluster.startLiteNode();
    int doomed = startGateway(otherGateway);
    awaitQuorum(last, true);

    SseNodes.publishData(client, web, gateway, TOPIC, "before");
    assertEquals(202, publish(gateway, "key-before", "keyed before").statusCode());
    peer = connect(gateway);
    assertEquals("joined", join(peer.socket(), "standup").getString("type"));
    Peer remote = connect(doomed);
    assertEquals("joined", join(remote.socket(), "standup").getString("type"));

    cluster.stopNode(first);
    cluster.stopNode(second);
    awaitQuorum(last, false);
    cluster.crashNode(otherGateway);
    Poll.until(() -> last.hazelcast().getCluster().getMembers().size() == 2, MEMBERSHIP,
        "the killed gateway dropped from the cluster");
    // One data member and a gateway: were lite members counted, the minimum of 2 would be met.
    awaitQuorum(last, false);
    // Room reads go on; the lost gateway's peer cannot be evicted yet.
    assertEquals(List.of(peer.id(), remote.id()), roomPeers(gateway, "standup"));

    TestSocket latecomer = assertWritesRefusedAndReadsServed();
    assertWritesAcceptedOnceAMemberIsBack(latecomer);
  }

  /** Returns a connection whose join was refused. */
  private TestSocket assertWritesRefusedAndReadsServed() {
    assertNoQuorum(publish(gateway, null, "lost"));
    assertNoQuorum(publish(gateway, "key-refused", "keyed refused"));
    TestSocket latecomer = connect(gateway).socket();
    JsonObject refused = join(latecomer, "retro");
    assertEquals(Set.of("type", "code", "message"), refused.fieldNames(), refused.encode());
    assertEquals("error", refused.getString("type"));
    assertEquals("no-quorum", refused.getString("code"));
    // The connection is open and in no room: the next frame gets its own answer.
    latecomer.send(new JsonObject().put("type", "leave"));
    assertEquals("not-joined", latecomer.nextOfType("error", WAIT).getString("code"));
    assertEquals(List.of("before", "keyed before"), history(gateway));
    assertTrue(readinessMissing().contains("data-members"));
    return latecomer;
  }

  private void assertWritesAcceptedOnceAMemberIsBack(TestSocket latecomer) {
    // A data member without signaling-service, so that only the refused sweep, tried again, evicts.
    ClusterNode back = startSseMember();
    awaitQuorum(last, true);
    awaitQuorum(back, true);
    Poll.until(() -> roomPeers(gateway, "standup").equals(List.of(peer.id())), MEMBERSHIP,
        "the lost gateway's peer evicted once writes are accepted");

    HttpResponse<Buffer> retried = publish(gateway, "key-refused", "keyed refused");
    assertEquals(202, retried.statusCode(), retried.bodyAsString());
    // Stored now for the first time: the refused attempt had stored nothing under its key.
    assertNull(retried.getHeader("Idempotent-Replayed"));
    SseNodes.publishData(client, web, gateway, TOPIC, "after");
    assertEquals(List.of("before", "keyed before", "keyed refused", "after"), history(gateway));
    assertEquals("joined", join(latecomer, "retro").getString("type"));
    assertEquals("joined", join(peer.socket(), "retro").getString("type"));
    assertFalse(readinessMissing().contains("data-members"));
  }

  /** What the gateway's {@code /ready} lists as missing (echo always: this cluster runs none). */
  private JsonArray readinessMissing() {
    HttpResponse<Buffer> response = TestCluster.awaitOn(client,
        () -> web.get(gateway, "127.0.0.1", "/ready").send());
    return response.bodyAsJsonObject().getJsonArray("missing");
  }

  private ClusterNode startDataMember() {
    ClusterNode node = startSseMember();
    TestCluster.await(node.vertx().deployVerticle(
        new SignalingVerticle(node, new SignalingServiceConfig(16))));
    return node;
  }

  private ClusterNode startSseMember() {
    ClusterNode node = cluster.startNode();
    TestCluster.await(node.vertx().deployVerticle(
        new SseVerticle(node.nodeId(), node.hazelcast(), SseServiceConfig.defaults())));
    return node;
  }

  /** A gateway as in production, on a lite member, which does not count towards the minimum. */
  private int startGateway(ClusterNode node) {
    GatewayVerticle verticle = new GatewayVerticle(TestConfigs.gateway(), ClusterView.of(node));
    TestCluster.await(node.vertx().deployVerticle(verticle));
    return verticle.actualPort();
  }

  /** Waits until {@code member}'s own split-brain protection says it has the minimum, or not. */
  private static void awaitQuorum(ClusterNode member, boolean present) {
    Poll.until(() -> member.hazelcast().getSplitBrainProtectionService()
            .getSplitBrainProtection(DataQuorum.NAME).hasMinimumSize() == present,
        MEMBERSHIP, (present ? "" : "no ") + "quorum; data members seen: "
            + member.hazelcast().getCluster().getMembers());
  }

  private HttpResponse<Buffer> publish(int port, String key, String data) {
    return TestCluster.awaitOn(client, () -> {
      var request = web.post(port, "127.0.0.1", "/api/topics/" + TOPIC + "/events")
          .putHeader("Content-Type", "application/json");
      if (key != null) {
        request.putHeader("Idempotency-Key", key);
      }
      return request.sendBuffer(new JsonObject().put("data", data).toBuffer());
    });
  }

  private static void assertNoQuorum(HttpResponse<Buffer> response) {
    assertEquals(503, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(Set.of("code", "message"), body.fieldNames(), body.encode());
    assertEquals("no-quorum", body.getString("code"));
  }

  /** The data of every retained event of the topic, oldest first. */
  private List<Object> history(int port) {
    HttpResponse<Buffer> response = TestCluster.awaitOn(client,
        () -> web.get(port, "127.0.0.1", "/api/topics/" + TOPIC + "/events").send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonArray events = response.bodyAsJsonObject().getJsonArray("events");
    List<Object> data = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      data.add(events.getJsonObject(i).getValue("data"));
    }
    return data;
  }

  /** The peers of {@code room}, in join order, as signaling-service has them. */
  private List<Object> roomPeers(int port, String room) {
    HttpResponse<Buffer> response = TestCluster.awaitOn(client,
        () -> web.get(port, "127.0.0.1", "/api/rooms/" + room).send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("peers").getList();
  }

  private Peer connect(int port) {
    TestSocket socket = TestSocket.connect(client, port, "/ws/signaling");
    sockets.add(socket);
    return new Peer(socket, socket.nextOfType("welcome", WAIT).getString("id"));
  }

  /** A signaling connection and the peer id its welcome gave it. */
  private record Peer(TestSocket socket, String id) {
  }

  /** Sends a join and returns its answer: {@code joined} or an error frame. */
  private static JsonObject join(TestSocket socket, String room) {
    socket.send(new JsonObject().put("type", "join").put("room", room));
    while (true) {
      JsonObject frame = socket.nextJson(WAIT);
      if (frame.getString("type").equals("joined") || frame.getString("type").equals("error")) {
        return frame;
      }
    }
  }
}
