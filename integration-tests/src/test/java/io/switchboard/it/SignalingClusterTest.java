package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.it.SignalingCluster.Gateway;
import io.switchboard.it.SignalingCluster.Peer;
import io.switchboard.signaling.SignalingServiceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signaling across gateway instances on a real Hazelcast cluster on loopback: two gateways, two
 * signaling instances and an echo node, each a separate cluster member running only its service.
 */
class SignalingClusterTest {

  private static final int CAPACITY = 16;
  private static final String TURN_SECRET = "test-turn-secret";

  private static SignalingCluster cluster;
  private static Gateway gatewayA;
  private static Gateway gatewayB;
  private static WebClient http;

  @BeforeAll
  static void startCluster() {
    cluster = new SignalingCluster(Map.of(
        "SIGNALING_STUN_URLS", "stun:stun.example.org:3478",
        "SIGNALING_TURN_URLS", "turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349",
        "SIGNALING_TURN_SECRET", TURN_SECRET,
        "SIGNALING_TURN_TTL_SECONDS", "600",
        "SIGNALING_MAX_MESSAGE_BYTES", "16384",
        "SIGNALING_RATE_PER_SECOND", "20",
        "SIGNALING_RATE_BURST", "40",
        "SIGNALING_FLOOD_LIMIT", "30",
        "SIGNALING_MAX_QUEUED_FRAMES", "16"),
        new SignalingServiceConfig(CAPACITY));
    cluster.startSignaling();
    cluster.startSignaling();
    cluster.startEcho();
    gatewayA = cluster.startGateway();
    gatewayB = cluster.startGateway();
    http = WebClient.create(cluster.client);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String room() {
    return "room-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void welcomeGivesAnUnguessablePeerIdAndInOpenModeTheStunServersWithoutTurn() {
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayA)) {
      assertNotEquals(a.id(), b.id());
      assertTrue(a.id().length() >= 22, "at least 128 bits in URL-safe base64: " + a.id());
      // TURN credentials go to authenticated peers only (SignalingAccessClusterTest).
      assertEquals(new JsonArray().add(new JsonObject().put("urls", new JsonArray().add("stun:stun.example.org:3478"))),
          a.welcome().getJsonArray("iceServers"));
    }
  }

  @Test
  void relaysSdpAndIceCandidatesBothWaysBetweenPeersOnDifferentGateways() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      a.next("peer-joined");

      JsonObject offer = new JsonObject().put("type", "sdp").put("target", b.id())
          .put("sdp", new JsonObject().put("type", "offer").put("sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"));
      a.send(offer);
      assertEquals(offer.copy().put("from", a.id()), b.next("sdp"));

      JsonObject answer = new JsonObject().put("type", "sdp").put("target", a.id())
          .put("sdp", new JsonObject().put("type", "answer").put("sdp", "v=0\r\n"));
      b.send(answer);
      assertEquals(answer.copy().put("from", b.id()), a.next("sdp"));

      JsonObject candidateAb = new JsonObject().put("type", "ice-candidate").put("target", b.id())
          .put("candidate", new JsonObject().put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host")
              .put("sdpMid", "0").put("sdpMLineIndex", 0));
      a.send(candidateAb);
      assertEquals(candidateAb.copy().put("from", a.id()), b.next("ice-candidate"));

      JsonObject candidateBa = new JsonObject().put("type", "ice-candidate").put("target", a.id())
          .put("candidate", new JsonObject().put("candidate", "candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host")
              .put("sdpMid", "0").put("sdpMLineIndex", 0));
      b.send(candidateBa);
      assertEquals(candidateBa.copy().put("from", b.id()), a.next("ice-candidate"));
    }
  }

  @Test
  void aRelayArrivesAsTheClientWroteItWithOnlyFromAdded() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      a.next("peer-joined");
      String written = "{ \"type\" : \"sdp\",\n  \"target\": \"" + b.id()
          + "\", \"sdp\": {\"type\": \"offer\", \"sdp\": \"v=0\\r\\n\"}, \"n\": 1.50 }\n";
      a.socket().send(written);
      assertEquals(written.substring(0, written.lastIndexOf('}') - 1) + " ,\"from\":\"" + a.id() + "\"}",
          b.socket().nextText(Duration.ofSeconds(10)));
    }
  }

  @Test
  void framesWithCommentsOrRepeatedKeysAreBadJsonAndAForgedFromIsReplaced() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      a.next("peer-joined");
      String target = "\"target\":\"" + b.id() + "\"";
      // Relayed as written, a frame must mean the same to every parser: these would not.
      for (String frame : List.of(
          "{\"type\":\"sdp\"," + target + ",\"n\":1} // }",
          "{\"type\":\"sdp\"," + target + " /* } */, \"n\":2}",
          "{\"type\":\"peer-left\",\"data\":\"x\",\"type\":\"sdp\"," + target + "}")) {
        assertError(a, frame, "bad-json");
      }
      // A "from" the client wrote, even escaped, is replaced by the real sender.
      a.socket().send("{\"type\":\"sdp\"," + target + ",\"\\u0066rom\":\"someone\",\"n\":3}");
      // Parsed strictly, as a browser's JSON.parse would.
      JsonObject relayed = new JsonObject(strictJson(b.socket().nextText(Duration.ofSeconds(10))));
      assertEquals(new JsonObject().put("type", "sdp").put("target", b.id()).put("n", 3)
          .put("from", a.id()), relayed);
      markerIsNext(a, b);
    }
  }

  @Test
  void aBurstOfRelaysFromSeveralPeersReachesPeersOnAnotherGatewayInOrder() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer c = cluster.connect(gatewayA);
         Peer b = cluster.connect(gatewayB); Peer d = cluster.connect(gatewayB)) {
      for (Peer peer : List.of(a, c, b, d)) {
        peer.join(room);
      }
      // The senders know of the receivers once they heard them join.
      for (int i = 0; i < 3; i++) {
        a.next("peer-joined");
      }
      c.next("peer-joined");
      c.next("peer-joined");
      // Sent back to back, the relays of both senders share batches to gateway B. The count stays
      // under this cluster's burst limit of 40 per connection.
      int count = 30;
      for (int i = 0; i < count; i++) {
        a.send(new JsonObject().put("type", "ice-candidate").put("target", b.id()).put("n", i));
        c.send(new JsonObject().put("type", "ice-candidate").put("target", d.id()).put("n", i));
      }
      for (int i = 0; i < count; i++) {
        assertEquals(new JsonObject().put("type", "ice-candidate").put("target", b.id()).put("n", i)
            .put("from", a.id()), b.next("ice-candidate"));
        assertEquals(new JsonObject().put("type", "ice-candidate").put("target", d.id()).put("n", i)
            .put("from", c.id()), d.next("ice-candidate"));
      }
    }
  }

  @Test
  void aClientCannotPoseAsAnotherPeer() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      a.next("peer-joined");
      a.send(new JsonObject().put("type", "sdp").put("target", b.id()).put("from", "someone-else"));
      assertEquals(a.id(), b.next("sdp").getString("from"));
    }
  }

  @Test
  void joinedListsThePeersAlreadyThereAndMembersHearOfJoinsAndLeaves() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB);
         Peer c = cluster.connect(gatewayA)) {
      JsonObject joinedA = a.join(room);
      assertEquals(room, joinedA.getString("room"));
      assertEquals(a.id(), joinedA.getString("id"));
      assertEquals(new JsonArray(), joinedA.getJsonArray("peers"));

      assertEquals(new JsonArray().add(a.id()), b.join(room).getJsonArray("peers"));
      assertEquals(peerEvent("peer-joined", room, b.id()), a.next("peer-joined"));

      assertEquals(Set.of(a.id(), b.id()), Set.copyOf(c.join(room).getJsonArray("peers").getList()));
      assertEquals(peerEvent("peer-joined", room, c.id()), a.next("peer-joined"));
      assertEquals(peerEvent("peer-joined", room, c.id()), b.next("peer-joined"));

      b.send(new JsonObject().put("type", "leave"));
      assertEquals(new JsonObject().put("type", "left").put("room", room), b.next("left"));
      assertEquals(peerEvent("peer-left", room, b.id()), a.next("peer-left"));
      assertEquals(peerEvent("peer-left", room, b.id()), c.next("peer-left"));

      // A member announced once is not announced again: the next presence event is c's leave.
      c.send(new JsonObject().put("type", "leave"));
      assertEquals(peerEvent("peer-left", room, c.id()), a.socket().nextJson(SignalingCluster.WAIT));
      // A left peer is not a relay target.
      a.send(new JsonObject().put("type", "sdp").put("target", b.id()));
      assertEquals("unknown-peer", a.next("error").getString("code"));
    }
  }

  @Test
  void joinWithoutRoomJoinsTheLobby() {
    try (Peer a = cluster.connect(gatewayB)) {
      a.send(new JsonObject().put("type", "join"));
      JsonObject joined = a.next("joined");
      assertEquals("lobby", joined.getString("room"));
      a.send(new JsonObject().put("type", "leave"));
      a.next("left");
    }
  }

  @Test
  void closingAConnectionTellsTheOthersWithinTwoSeconds() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      a.next("peer-joined");
      long closedAt = System.nanoTime();
      b.close();
      assertEquals(peerEvent("peer-left", room, b.id()), a.socket().nextOfType("peer-left", Duration.ofSeconds(2)));
      assertTrue(System.nanoTime() - closedAt < Duration.ofSeconds(2).toNanos());
    }
  }

  @Test
  void joiningAnotherRoomLeavesTheFirst() {
    String first = room();
    String second = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB);
         Peer c = cluster.connect(gatewayB)) {
      a.join(first);
      b.join(first);
      a.next("peer-joined");
      c.join(second);

      b.send(new JsonObject().put("type", "join").put("room", second));
      assertEquals(new JsonObject().put("type", "left").put("room", first), b.socket().nextJson());
      JsonObject joined = b.socket().nextJson();
      assertEquals("joined", joined.getString("type"));
      assertEquals(new JsonArray().add(c.id()), joined.getJsonArray("peers"));
      assertEquals(peerEvent("peer-left", first, b.id()), a.next("peer-left"));
      assertEquals(peerEvent("peer-joined", second, b.id()), c.next("peer-joined"));

      assertEquals(List.of(b.id(), c.id()).stream().sorted().toList(),
          roomPeers(gatewayA, second).stream().sorted().toList());
      assertEquals(List.of(a.id()), roomPeers(gatewayB, first));
    }
  }

  @Test
  void broadcastReachesEveryOtherMemberOnEveryGateway() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB);
         Peer c = cluster.connect(gatewayA); Peer outsider = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      c.join(room);
      String outsiderRoom = room();
      outsider.join(outsiderRoom);
      // A sender reaches the members its gateway knows of: wait until it knows of both.
      a.next("peer-joined");
      a.next("peer-joined");
      JsonObject data = new JsonObject().put("text", "hello").put("n", 3);
      a.send(new JsonObject().put("type", "broadcast").put("data", data));
      JsonObject expected = new JsonObject().put("type", "broadcast").put("room", room)
          .put("from", a.id()).put("data", data);
      assertEquals(expected, b.next("broadcast"));
      assertEquals(expected, c.next("broadcast"));
      // The sender does not get its own broadcast back: c, on the sender's gateway, got it, and
      // what c relays to the sender then follows it through that gateway.
      a.send(new JsonObject().put("type", "broadcast").put("data", "second"));
      assertEquals("second", b.next("broadcast").getValue("data"));
      assertEquals("second", c.next("broadcast").getValue("data"));
      markerIsNext(c, a);
      // Nor does a member of another room: once the sender is in that room, its next relay there
      // is the first frame of it the outsider gets.
      a.join(outsiderRoom);
      assertEquals(peerEvent("peer-joined", outsiderRoom, a.id()), outsider.socket().nextJson(SignalingCluster.WAIT));
      markerIsNext(a, outsider);
    }
  }

  @Test
  void relayToAPeerInAnotherRoomOrToAnUnknownIdIsUnknownPeerAndDeliversNothing() {
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room());
      String roomOfB = room();
      b.join(roomOfB);
      a.send(new JsonObject().put("type", "sdp").put("target", b.id()).put("sdp", "x"));
      JsonObject error = a.next("error");
      assertEquals("unknown-peer", error.getString("code"));
      assertTrue(error.getString("message").length() > 0);
      a.send(new JsonObject().put("type", "ice-candidate").put("target", "no-such-peer").put("candidate", "x"));
      assertEquals("unknown-peer", a.next("error").getString("code"));
      // Once a is in b's room, its next relay to b is the first frame from it that b gets.
      a.join(roomOfB);
      assertEquals(peerEvent("peer-joined", roomOfB, a.id()), b.socket().nextJson(SignalingCluster.WAIT));
      markerIsNext(a, b);
    }
  }

  @Test
  void capacityHoldsUnderConcurrentJoinsFromTwoGateways() {
    String room = room();
    int perGateway = CAPACITY;
    List<Peer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < perGateway; i++) {
        peers.add(cluster.connect(gatewayA));
        peers.add(cluster.connect(gatewayB));
      }
      for (Peer peer : peers) {
        peer.send(new JsonObject().put("type", "join").put("room", room));
      }
      int joined = 0;
      int full = 0;
      for (Peer peer : peers) {
        JsonObject answer = firstOf(peer, "joined", "error");
        if (answer.getString("type").equals("joined")) {
          joined++;
          assertTrue(answer.getJsonArray("peers").size() < CAPACITY);
        } else {
          assertEquals("room-full", answer.getString("code"));
          full++;
        }
      }
      assertEquals(CAPACITY, joined);
      assertEquals(peers.size() - CAPACITY, full);
      assertEquals(CAPACITY, roomPeers(gatewayA, room).size());
    } finally {
      peers.forEach(Peer::close);
    }
  }

  @Test
  void everyProtocolErrorIsReportedAndTheConnectionStaysOpen() {
    try (Peer a = cluster.connect(gatewayA)) {
      assertError(a, "{not json", "bad-json");
      assertError(a, "[1,2]", "bad-request");
      assertError(a, "{\"target\":\"x\"}", "bad-request");
      assertError(a, "{\"type\":42}", "bad-request");
      assertError(a, "{\"type\":\"dance\"}", "unknown-type");
      assertError(a, "{\"type\":\"join\",\"room\":\"no spaces\"}", "bad-request");
      assertError(a, "{\"type\":\"join\",\"room\":\"" + "r".repeat(65) + "\"}", "bad-request");
      assertError(a, "{\"type\":\"sdp\",\"sdp\":\"x\"}", "bad-request");
      assertError(a, "{\"type\":\"broadcast\"}", "bad-request");
      assertError(a, "{\"type\":\"sdp\",\"target\":\"x\"}", "not-joined");
      assertError(a, "{\"type\":\"broadcast\",\"data\":1}", "not-joined");
      assertError(a, "{\"type\":\"leave\"}", "not-joined");
      a.socket().sendBinary(Buffer.buffer("{\"type\":\"join\"}"));
      assertEquals("bad-request", a.next("error").getString("code"));
      // Still open and working.
      assertEquals("lobby", a.join("lobby").getString("room"));
      a.send(new JsonObject().put("type", "leave"));
      a.next("left");
    }
  }

  @Test
  void aMessageOverTheSignalingLimitIsTooLargeAndClosesWith1009() {
    try (Peer a = cluster.connect(gatewayA)) {
      a.send(new JsonObject().put("type", "broadcast").put("data", "x".repeat(20_000)));
      assertEquals("too-large", a.next("error").getString("code"));
      assertEquals((short) 1009, a.socket().awaitClose(SignalingCluster.WAIT));
    }
  }

  @Test
  void aFrameOverTheGatewayLimitClosesWith1009() {
    try (Peer a = cluster.connect(gatewayB)) {
      a.send(new JsonObject().put("type", "broadcast").put("data", "x".repeat(70_000)));
      assertEquals((short) 1009, a.socket().awaitClose(SignalingCluster.WAIT));
    }
  }

  @Test
  void aFragmentedMessageOverTheGatewayLimitClosesWith1009() {
    try (Peer a = cluster.connect(gatewayA)) {
      String half = "x".repeat(40_000);
      a.socket().raw().writeFrame(WebSocketFrame.textFrame("{\"type\":\"broadcast\",\"data\":\"" + half, false));
      a.socket().raw().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(half + "\"}"), true));
      assertEquals((short) 1009, a.socket().awaitClose(SignalingCluster.WAIT));
    }
  }

  @Test
  void aBurstOverTheRateIsRateLimitedAndTheConnectionStaysOpen() {
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB);
         Peer c = cluster.connect(gatewayA)) {
      String room = room();
      a.join(room);
      b.join(room);
      c.join(room);
      // a broadcasts to the members its gateway knows of, and b hears of c before c's marker.
      a.next("peer-joined");
      a.next("peer-joined");
      assertEquals(peerEvent("peer-joined", room, c.id()), b.next("peer-joined"));
      // The bucket holds 40 and refills at 20 a second; the join took one token.
      int sent = 45;
      for (int i = 0; i < sent; i++) {
        a.send(new JsonObject().put("type", "broadcast").put("data", i));
      }
      JsonObject refusal = a.next("error");
      assertEquals("rate-limited", refusal.getString("code"));
      // c's broadcast, on a's gateway and sent once a was refused, comes after the whole burst.
      c.send(new JsonObject().put("type", "broadcast").put("data", "marker"));
      JsonObject marker = broadcast(room, c, "marker");
      List<JsonObject> delivered = framesBefore(b, marker);
      List<JsonObject> refusals = framesBefore(a, marker);
      refusals.add(refusal);
      // Each message of the burst was either broadcast or refused with an error.
      assertEquals(sent, delivered.size() + refusals.size(), "delivered " + delivered + ", refused " + refusals);
      assertEquals(Collections.nCopies(refusals.size(), refusal), refusals);
      assertTrue(delivered.size() >= 39, "the tokens left after the join let through " + delivered.size());
      for (int i = 0; i < 39; i++) {
        assertEquals(broadcast(room, a, i), delivered.get(i));
      }
      assertTrue(!a.socket().isClosed());
      // Once tokens are back, messages go through again.
      pollUntil(() -> {
        a.send(new JsonObject().put("type", "broadcast").put("data", "later"));
        return b.socket().nextOfType("broadcast", Duration.ofMillis(500)) != null;
      });
    }
  }

  @Test
  void sustainedFloodingClosesWith1008() {
    try (Peer a = cluster.connect(gatewayB)) {
      for (int i = 0; i < 500 && !a.socket().isClosed(); i++) {
        a.socket().send("{\"type\":\"flood\"}");
      }
      assertEquals((short) 1008, a.socket().awaitClose(SignalingCluster.WAIT));
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedAndLeavesItsRoom() {
    String room = room();
    List<Peer> senders = new ArrayList<>();
    try (Peer stalled = cluster.connectSlowReader(gatewayB)) {
      stalled.join(room);
      for (int i = 0; i < CAPACITY - 1; i++) {
        Peer sender = cluster.connect(gatewayA);
        senders.add(sender);
        sender.join(room);
      }
      stalled.socket().raw().pause();
      String chunk = "x".repeat(15_000);
      for (int round = 0; round < 35; round++) {
        for (Peer sender : senders) {
          sender.send(new JsonObject().put("type", "broadcast").put("data", chunk));
        }
      }
      // Megabytes for a client that reads nothing: the gateway drops it instead of buffering them.
      pollUntil(() -> !roomPeers(gatewayA, room).contains(stalled.id()), Duration.ofSeconds(45));
    } finally {
      senders.forEach(Peer::close);
    }
  }

  @Test
  void roomsApiListsRoomsWithMemberCountsAndTheirPeers() {
    String room = room();
    try (Peer a = cluster.connect(gatewayA); Peer b = cluster.connect(gatewayB)) {
      a.join(room);
      b.join(room);
      JsonObject list = getJson(gatewayB, "/api/rooms", 200);
      JsonObject entry = list.getJsonArray("rooms").stream().map(JsonObject.class::cast)
          .filter(r -> r.getString("room").equals(room)).findFirst().orElseThrow();
      assertEquals(2, entry.getInteger("peers"));
      JsonObject one = getJson(gatewayA, "/api/rooms/" + room, 200);
      assertEquals(new JsonObject().put("room", room).put("peers", new JsonArray().add(a.id()).add(b.id())), one);
      assertEquals(new JsonArray(), getJson(gatewayA, "/api/rooms/nobody-here", 200).getJsonArray("peers"));
      assertEquals("bad-request", getJson(gatewayA, "/api/rooms/bad%20name", 400).getString("code"));
    }
  }

  // ---- helpers

  private static JsonObject peerEvent(String type, String room, String peer) {
    return new JsonObject().put("type", type).put("room", room).put("data", peer);
  }

  private static void assertError(Peer peer, String text, String code) {
    peer.socket().send(text);
    JsonObject error = peer.next("error");
    assertEquals(code, error.getString("code"), "answer to " + text);
    assertTrue(error.getString("message") != null && !error.getString("message").isEmpty());
  }

  private static JsonObject firstOf(Peer peer, String... types) {
    long deadline = System.nanoTime() + SignalingCluster.WAIT.toNanos();
    while (true) {
      JsonObject message = peer.socket().nextJson(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (List.of(types).contains(message.getString("type"))) {
        return message;
      }
    }
  }

  /**
   * Relays a marker from {@code from} to {@code to} and checks that it is the next frame {@code to}
   * gets. Relays and broadcasts from one peer keep their order to each gateway, so whatever
   * {@code from} sent before and must not reach {@code to} would have come first: this proves its
   * absence without a quiet window.
   */
  private static void markerIsNext(Peer from, Peer to) {
    JsonObject marker = new JsonObject().put("type", "sdp").put("target", to.id())
        .put("marker", UUID.randomUUID().toString());
    from.send(marker);
    assertEquals(marker.copy().put("from", from.id()), to.socket().nextJson(SignalingCluster.WAIT));
  }

  private static JsonObject broadcast(String room, Peer from, Object data) {
    return new JsonObject().put("type", "broadcast").put("room", room).put("from", from.id()).put("data", data);
  }

  /** The frames {@code peer} gets before {@code marker}, which must arrive. */
  private static List<JsonObject> framesBefore(Peer peer, JsonObject marker) {
    List<JsonObject> frames = new ArrayList<>();
    for (JsonObject frame = peer.socket().nextJson(SignalingCluster.WAIT); !frame.equals(marker);
        frame = peer.socket().nextJson(SignalingCluster.WAIT)) {
      frames.add(frame);
    }
    return frames;
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> strictJson(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, java.util.Map.class);
    } catch (java.io.IOException e) {
      throw new AssertionError("not strict JSON: " + text, e);
    }
  }

  private static void pollUntil(java.util.function.BooleanSupplier condition) {
    pollUntil(condition, SignalingCluster.WAIT);
  }

  private static void pollUntil(java.util.function.BooleanSupplier condition, Duration wait) {
    Poll.until(() -> {
      try {
        return condition.getAsBoolean();
      } catch (AssertionError notYet) {
        return false;
      }
    }, wait, "condition");
  }

  private static JsonObject getJson(Gateway gateway, String path, int status) {
    HttpResponse<Buffer> response = TestCluster.awaitOn(cluster.client,
        () -> http.get(gateway.port(), "127.0.0.1", path).send());
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static List<String> roomPeers(Gateway gateway, String room) {
    return getJson(gateway, "/api/rooms/" + room, 200).getJsonArray("peers").stream()
        .map(Object::toString).toList();
  }
}
