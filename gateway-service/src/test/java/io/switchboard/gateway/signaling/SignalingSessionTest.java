package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.FakeWebSocket;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.node.SignalingConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signaling protocol as one connection sees it (docs/protocol.md, WebRTC signaling), over an
 * in-memory room directory and peer router: no event bus, no cluster. The fakes work
 * synchronously, so every frame a message causes is written by the time it is handled.
 */
class SignalingSessionTest {

  private static final String ROOM = "standup";

  private final InMemorySignaling cluster = new InMemorySignaling(16);
  private SignalingConfig config = TestConfigs.signaling();

  /** A client connected to this node, its welcome taken. */
  private record Client(FakeWebSocket socket, String id) {

    void send(JsonObject message) {
      socket.receive(message.encode());
    }
  }

  private Client connect(InMemorySignaling signaling) throws InterruptedException {
    FakeWebSocket socket = new FakeWebSocket();
    new SignalingSession(socket.socket(), config, signaling, signaling,
        new IceServers(config, Clock.systemUTC()), new RateMeter(), new FrameTypes(), SocketAuth.open().access(null, Grants.open()),
        () -> { }).start();
    JsonObject welcome = next(socket);
    assertEquals("welcome", welcome.getString("type"));
    return new Client(socket, welcome.getString("id"));
  }

  private Client connect() throws InterruptedException {
    return connect(cluster);
  }

  private Client joined(String room) throws InterruptedException {
    Client client = connect();
    client.send(join(room));
    assertEquals("joined", next(client.socket()).getString("type"));
    return client;
  }

  /** The next frame written to {@code socket}; everything is written synchronously, so it is there. */
  private static JsonObject next(FakeWebSocket socket) {
    String text = socket.pending();
    assertTrue(text != null, "no frame was written");
    return new JsonObject(text);
  }

  /** Proves nothing else was written before: the answer to a {@link #marker()} is the next frame. */
  private static void nothingBefore(Client client, JsonObject expected) {
    assertEquals(expected, next(client.socket()));
  }

  /** A message that answers with an error, to mark a point in a client's frames. */
  private static JsonObject marker() {
    return new JsonObject().put("type", "marker");
  }

  private static JsonObject markerAnswer() {
    return error("unknown-type", "Unknown message type 'marker'");
  }

  private static JsonObject join(String room) {
    return new JsonObject().put("type", "join").put("room", room);
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("type", "error").put("code", code).put("message", message);
  }

  private static JsonObject presence(String type, String peer) {
    return new JsonObject().put("type", type).put("room", ROOM).put("data", peer);
  }

  @Test
  void aJoinAnswersJoinedWithTheOtherMembersInJoinOrder() throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
    cluster.joinFromElsewhere(ROOM, "carol", "gateway-c");
    Client alice = connect();
    alice.send(join(ROOM));
    assertEquals(new JsonObject().put("type", "joined").put("room", ROOM).put("id", alice.id())
        .put("peers", new JsonArray(List.of("bob", "carol"))), next(alice.socket()));
  }

  @Test
  void aJoinWithoutARoomJoinsTheLobby() throws InterruptedException {
    Client alice = connect();
    alice.send(new JsonObject().put("type", "join"));
    assertEquals("lobby", next(alice.socket()).getString("room"));
    assertEquals(Map.of(alice.id(), InMemorySignaling.NODE), cluster.members("lobby"));
  }

  @Test
  void membersHearPeerJoinedAndPeerLeft() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    assertEquals(presence("peer-joined", bob.id()), next(alice.socket()));
    bob.send(new JsonObject().put("type", "leave"));
    assertEquals(new JsonObject().put("type", "left").put("room", ROOM), next(bob.socket()));
    assertEquals(presence("peer-left", bob.id()), next(alice.socket()));
  }

  @Test
  void joiningAnotherRoomLeavesTheOldOneFirst() throws InterruptedException {
    Client alice = joined("old");
    Client bob = joined("old");
    next(alice.socket());
    bob.send(join(ROOM));
    assertEquals(new JsonObject().put("type", "left").put("room", "old"), next(bob.socket()));
    assertEquals("joined", next(bob.socket()).getString("type"));
    assertEquals(new JsonObject().put("type", "peer-left").put("room", "old").put("data", bob.id()),
        next(alice.socket()));
  }

  @Test
  void aRelayReachesItsTargetAsWrittenWithFromAdded() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    next(alice.socket());
    String offer = "{\"type\":\"sdp\",\"target\":\"" + alice.id() + "\",\"sdp\":{\"type\":\"offer\"}}";
    bob.socket().receive(offer);
    assertEquals(offer.substring(0, offer.length() - 1) + ",\"from\":\"" + bob.id() + "\"}",
        alice.socket().pending());
  }

  @Test
  void aRelayCannotPoseAsAnotherPeer() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    next(alice.socket());
    bob.send(new JsonObject().put("type", "ice-candidate").put("target", alice.id()).put("from", "mallory"));
    assertEquals(new JsonObject().put("type", "ice-candidate").put("target", alice.id()).put("from", bob.id()),
        next(alice.socket()));
  }

  @Test
  void aRelayToAPeerOnAnotherGatewayGoesToThatGateway() throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
    Client alice = joined(ROOM);
    alice.send(new JsonObject().put("type", "sdp").put("target", "bob"));
    String frame = new JsonObject().put("type", "sdp").put("target", "bob").put("from", alice.id()).encode();
    assertEquals(List.of(new InMemorySignaling.Sent("gateway-b", PeerDelivery.relay(ROOM, "bob", frame))),
        cluster.remote());
  }

  @Test
  void aRelayToAPeerNotInTheRoomIsUnknownPeer() throws InterruptedException {
    cluster.joinFromElsewhere("elsewhere", "bob", "gateway-b");
    Client alice = joined(ROOM);
    alice.send(new JsonObject().put("type", "sdp").put("target", "bob"));
    assertEquals(error("unknown-peer", "No peer 'bob' in room standup"), next(alice.socket()));
    assertEquals(List.of(), cluster.remote());
  }

  @Test
  void aBroadcastReachesEveryOtherMemberOnceButNotItsSender() throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "carol", "gateway-b");
    cluster.joinFromElsewhere(ROOM, "dave", "gateway-b");
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    next(alice.socket());
    bob.send(new JsonObject().put("type", "broadcast").put("data", new JsonObject().put("text", "hello")));
    JsonObject broadcast = new JsonObject().put("type", "broadcast").put("room", ROOM).put("from", bob.id())
        .put("data", new JsonObject().put("text", "hello"));
    assertEquals(broadcast, next(alice.socket()));
    // One delivery per gateway node, not per member: the node hands it to its own members.
    assertEquals(List.of(new InMemorySignaling.Sent("gateway-b",
        PeerDelivery.broadcast(ROOM, bob.id(), broadcast.encode()))), cluster.remote());
    bob.send(marker());
    nothingBefore(bob, markerAnswer());
  }

  @Test
  void aFullRoomAnswersRoomFullAndTheConnectionStaysInItsRoom() throws InterruptedException {
    InMemorySignaling small = new InMemorySignaling(2);
    small.joinFromElsewhere(ROOM, "bob", "gateway-b");
    small.joinFromElsewhere(ROOM, "carol", "gateway-b");
    small.joinFromElsewhere("old", "dave", "gateway-b");
    Client alice = connect(small);
    alice.send(join("old"));
    next(alice.socket());
    alice.send(join(ROOM));
    assertEquals(error("room-full", "Room standup is full (2 peers)"), next(alice.socket()));
    alice.send(new JsonObject().put("type", "sdp").put("target", "dave"));
    assertEquals("old", small.remote().get(0).delivery().room());
  }

  @Test
  void relaysBroadcastsAndLeavesBeforeAJoinAreNotJoined() throws InterruptedException {
    Client alice = connect();
    alice.send(new JsonObject().put("type", "sdp").put("target", "bob"));
    assertEquals(error("not-joined", "Join a room before sending 'sdp'"), next(alice.socket()));
    alice.send(new JsonObject().put("type", "ice-candidate").put("target", "bob"));
    assertEquals(error("not-joined", "Join a room before sending 'ice-candidate'"), next(alice.socket()));
    alice.send(new JsonObject().put("type", "broadcast").put("data", 1));
    assertEquals(error("not-joined", "Join a room before sending 'broadcast'"), next(alice.socket()));
    alice.send(new JsonObject().put("type", "leave"));
    assertEquals(error("not-joined", "Not in a room"), next(alice.socket()));
  }

  @Test
  void tooManyMessagesAreRateLimitedAndAFloodClosesTheConnectionWith1008() throws InterruptedException {
    config = TestConfigs.signaling(Map.of("SIGNALING_RATE_PER_SECOND", "1", "SIGNALING_RATE_BURST", "1",
        "SIGNALING_FLOOD_LIMIT", "2", "SIGNALING_FLOOD_WINDOW_MS", "60000"));
    Client alice = connect();
    alice.send(marker());
    assertEquals(markerAnswer(), next(alice.socket()));
    alice.send(marker());
    assertEquals(error("rate-limited", "Too many messages: at most 1 per second, bursts of 1"),
        next(alice.socket()));
    alice.send(marker());
    assertEquals(error("rate-limited", "Too many messages; closing the connection"), next(alice.socket()));
    assertEquals(Short.valueOf((short) 1008), alice.socket().closeStatus());
  }

  @Test
  void peersOfALostGatewayAreAnnouncedGoneOnce() throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
    Client alice = joined(ROOM);
    cluster.loseNode("gateway-b");
    assertEquals(presence("peer-left", "bob"), next(alice.socket()));
    // The directory's eviction of bob followed; it is recognised as applied already.
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
  }

  @Test
  void afterAMergeEachPeerHearsWhoJoinedOnTheOtherSideAndWhoWasRemovedOverCapacity()
      throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
    Client alice = joined(ROOM);
    // The split: gateway-b is cut off, and carol joins on this side meanwhile.
    cluster.loseNode("gateway-b");
    assertEquals(presence("peer-left", "bob"), next(alice.socket()));
    Client carol = joined(ROOM);
    assertEquals(presence("peer-joined", carol.id()), next(alice.socket()));

    // The heal: dave joined on the other side; carol, the latest joiner over capacity, is out.
    cluster.healNode("gateway-b");
    cluster.reconcile(ROOM, List.of(carol.id()), alice.id(), InMemorySignaling.NODE, "bob", "gateway-b",
        "dave", "gateway-b");

    assertEquals(new JsonObject().put("type", "left").put("room", ROOM).put("reason", "over-capacity"),
        next(carol.socket()));
    assertEquals(presence("peer-left", carol.id()), next(alice.socket()));
    assertEquals(presence("peer-joined", "bob"), next(alice.socket()));
    assertEquals(presence("peer-joined", "dave"), next(alice.socket()));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    carol.send(new JsonObject().put("type", "leave"));
    nothingBefore(carol, error("not-joined", "Not in a room"));
  }

  @Test
  void aPeerEvictedWhileItsGatewayWasTakenForLostJoinsAgainAndHearsWhatChangedMeanwhile()
      throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "dave", "gateway-b");
    Client alice = joined(ROOM);
    // Another member takes this gateway for lost: alice is evicted, and the room changes unheard here.
    long[] evictedAt = new long[1];
    cluster.unheard(() -> {
      evictedAt[0] = cluster.evict(ROOM, alice.id());
      cluster.joinFromElsewhere(ROOM, "erin", "gateway-b");
      cluster.leaveFromElsewhere(ROOM, "dave");
    });
    assertEquals(List.of("erin"), List.copyOf(cluster.members(ROOM).keySet()));

    // This gateway is found in the cluster again, and told, with the eviction's own version.
    cluster.noticeEviction(ROOM, evictedAt[0], alice.id());

    assertEquals(presence("peer-left", "dave"), next(alice.socket()));
    assertEquals(presence("peer-joined", "erin"), next(alice.socket()));
    assertEquals(List.of("erin", alice.id()), List.copyOf(cluster.members(ROOM).keySet()));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
  }

  @Test
  void aPeerEvictedByMistakeFromARoomFilledMeanwhileIsToldItIsOutOnceTheMergeHadTimeToSettle()
      throws InterruptedException {
    config = TestConfigs.signaling(Map.of("SIGNALING_MERGE_SETTLE_MS", "2000"));
    InMemorySignaling pair = new InMemorySignaling(2);
    Client alice = connect(pair);
    alice.send(join(ROOM));
    assertEquals("joined", next(alice.socket()).getString("type"));
    long[] evictedAt = new long[1];
    pair.unheard(() -> {
      evictedAt[0] = pair.evict(ROOM, alice.id());
      pair.joinFromElsewhere(ROOM, "erin", "gateway-b");
      pair.joinFromElsewhere(ROOM, "frank", "gateway-b");
    });

    pair.noticeEviction(ROOM, evictedAt[0], alice.id());
    // Refused room-full, the join is tried again each second of SIGNALING_MERGE_SETTLE_MS: the
    // room's other copy, with alice in it, may still be merging.
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    pair.fireTimers();
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    pair.fireTimers();

    assertEquals(new JsonObject().put("type", "left").put("room", ROOM).put("reason", "over-capacity"),
        next(alice.socket()));
    assertEquals(List.of("erin", "frank"), List.copyOf(pair.members(ROOM).keySet()));
    alice.send(new JsonObject().put("type", "leave"));
    nothingBefore(alice, error("not-joined", "Not in a room"));
  }

  @Test
  void aPeerEvictedByMistakeFromARoomStillMergingKeepsItsPlaceWhenTheRoomHasItAgain()
      throws InterruptedException {
    InMemorySignaling pair = new InMemorySignaling(2);
    Client alice = connect(pair);
    alice.send(join(ROOM));
    assertEquals("joined", next(alice.socket()).getString("type"));
    pair.joinFromElsewhere(ROOM, "bob", "gateway-b");
    assertEquals(presence("peer-joined", "bob"), next(alice.socket()));
    long[] evictedAt = new long[1];
    pair.unheard(() -> {
      evictedAt[0] = pair.evict(ROOM, alice.id());
      pair.joinFromElsewhere(ROOM, "erin", "gateway-b");
    });

    // The first try finds the room full: the copy of the side that evicted alice.
    pair.noticeEviction(ROOM, evictedAt[0], alice.id());
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    // The merge settles the room without erin, who joined last.
    pair.unheard(() -> pair.leaveFromElsewhere(ROOM, "erin"));
    pair.fireTimers();

    assertEquals(List.of("bob", alice.id()), List.copyOf(pair.members(ROOM).keySet()));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    assertEquals(0, pair.pendingTimers(), "nothing more is tried once alice is back");
  }

  @Test
  void twoPeersOfThisGatewayEvictedTogetherHearEachOtherLeaveAndJoinAgain() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    assertEquals(presence("peer-joined", bob.id()), next(alice.socket()));
    long[] evictedAt = new long[1];
    cluster.unheard(() -> {
      cluster.evict(ROOM, alice.id());
      evictedAt[0] = cluster.evict(ROOM, bob.id());
    });

    cluster.noticeEviction(ROOM, evictedAt[0], alice.id(), bob.id());

    // alice is back first: bob hears of it as a join; alice hears bob leave, then come back.
    assertEquals(presence("peer-left", bob.id()), next(alice.socket()));
    assertEquals(presence("peer-joined", bob.id()), next(alice.socket()));
    assertEquals(List.of(alice.id(), bob.id()), List.copyOf(cluster.members(ROOM).keySet()));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    bob.send(marker());
    nothingBefore(bob, markerAnswer());
  }

  @Test
  void aRoomMateDroppedForItsNodesLossIsAnnouncedAgainWhenTheNodeComesBackStillListed()
      throws InterruptedException {
    cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
    Client alice = joined(ROOM);
    // This gateway alone lost sight of gateway-b; signaling-service kept bob in the room.
    cluster.loseSightOf("gateway-b");
    assertEquals(presence("peer-left", "bob"), next(alice.socket()));
    cluster.unheard(() -> cluster.joinFromElsewhere(ROOM, "dave", "gateway-b"));

    cluster.healNode("gateway-b");

    assertEquals(presence("peer-joined", "bob"), next(alice.socket()));
    assertEquals(presence("peer-joined", "dave"), next(alice.socket()));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    // From then on plain events about bob apply again.
    cluster.leaveFromElsewhere(ROOM, "bob");
    assertEquals(presence("peer-left", "bob"), next(alice.socket()));
  }

  @Test
  void aNodeThatJoinsForTheFirstTimeMakesNoConnectionReadItsRoomAgain() throws InterruptedException {
    Client alice = joined(ROOM);
    cluster.deferNextJoin();

    cluster.healNode("gateway-new");

    // A join would have waited for its deferred answer, and the marker's answer behind it.
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
  }

  @Test
  void anEvictionNoticeForAPeerThatMovedOnChangesNothing() throws InterruptedException {
    Client alice = joined(ROOM);
    long[] evictedAt = new long[1];
    cluster.unheard(() -> evictedAt[0] = cluster.evict(ROOM, alice.id()));
    alice.send(join("retro"));
    assertEquals("joined", next(alice.socket()).getString("type"));

    cluster.noticeEviction(ROOM, evictedAt[0], alice.id());

    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    assertEquals(Map.of(), cluster.members(ROOM));
  }

  @Test
  void aReconciliationDeliveredTwiceIsAnnouncedOnce() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    next(alice.socket());
    PresenceEvent event = cluster.reconcile(ROOM, List.of(bob.id()), alice.id(), InMemorySignaling.NODE,
        "dave", "gateway-b");
    assertEquals("left", next(bob.socket()).getString("type"));
    assertEquals(presence("peer-left", bob.id()), next(alice.socket()));
    assertEquals(presence("peer-joined", "dave"), next(alice.socket()));

    cluster.deliverAgain(event);
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
  }

  @Test
  void aClosedConnectionLeavesItsRoomAndTheOthersHearPeerLeft() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = joined(ROOM);
    next(alice.socket());
    bob.socket().closeByClient();
    assertEquals(List.of(bob.id() + "@" + ROOM), cluster.leavesOfClosedConnections());
    assertEquals(presence("peer-left", bob.id()), next(alice.socket()));
  }

  @Test
  void aPeerJoinedThatOvertookThePeerLeftBeforeItIsWrittenAfterIt() throws InterruptedException {
    Client alice = joined(ROOM);
    cluster.joinFromElsewhere(ROOM, "bob-old", "gateway-b");
    assertEquals(presence("peer-joined", "bob-old"), next(alice.socket()));
    // Bob's old connection leaves, and his new one joins through another gateway: two changes, whose
    // events two signaling instances send, and the second arrives first.
    List<PresenceEvent> events = cluster.captured(() -> {
      cluster.leaveFromElsewhere(ROOM, "bob-old");
      cluster.joinFromElsewhere(ROOM, "bob-new", "gateway-c");
    });
    cluster.deliverAgain(events.get(1));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    cluster.deliverAgain(events.get(0));
    assertEquals(presence("peer-left", "bob-old"), next(alice.socket()));
    assertEquals(presence("peer-joined", "bob-new"), next(alice.socket()));
    assertEquals(0, cluster.pendingTimers(), "nothing waits any more");
  }

  @Test
  void aPresenceEventWhoseChangeBeforeNeverArrivesIsWrittenAfterTheWait() throws InterruptedException {
    Client alice = joined(ROOM);
    List<PresenceEvent> events = cluster.captured(() -> {
      cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
      cluster.joinFromElsewhere(ROOM, "carol", "gateway-c");
      cluster.joinFromElsewhere(ROOM, "dave", "gateway-d");
    });
    // Bob's join is lost with the signaling instance that made it; carol's and dave's arrive, out of order.
    cluster.deliverAgain(events.get(2));
    cluster.deliverAgain(events.get(1));
    alice.send(marker());
    nothingBefore(alice, markerAnswer());
    cluster.fireTimers();
    assertEquals(presence("peer-joined", "carol"), next(alice.socket()));
    assertEquals(presence("peer-joined", "dave"), next(alice.socket()));
    // What follows the changes passed on is written at once.
    cluster.leaveFromElsewhere(ROOM, "carol");
    assertEquals(presence("peer-left", "carol"), next(alice.socket()));
  }

  @Test
  void withoutAWaitPresenceEventsAreWrittenAsTheyArrive() throws InterruptedException {
    config = TestConfigs.signaling(Map.of("SIGNALING_PRESENCE_GAP_WAIT_MS", "0"));
    Client alice = joined(ROOM);
    List<PresenceEvent> events = cluster.captured(() -> {
      cluster.joinFromElsewhere(ROOM, "bob", "gateway-b");
      cluster.joinFromElsewhere(ROOM, "carol", "gateway-c");
    });
    cluster.deliverAgain(events.get(1));
    assertEquals(presence("peer-joined", "carol"), next(alice.socket()));
    cluster.deliverAgain(events.get(0));
    assertEquals(presence("peer-joined", "bob"), next(alice.socket()));
    assertEquals(0, cluster.pendingTimers());
  }

  @Test
  void whatArrivesWhileAJoinIsInFlightFollowsTheJoined() throws InterruptedException {
    Client alice = joined(ROOM);
    Client bob = connect();
    cluster.deferNextJoin();
    bob.send(join(ROOM));
    assertEquals(presence("peer-joined", bob.id()), next(alice.socket()));
    alice.send(new JsonObject().put("type", "sdp").put("target", bob.id()));
    // The fakes are synchronous: the relay reached bob's session, which holds it for now.
    assertNull(bob.socket().pending());
    cluster.answerDeferredJoin();
    assertEquals(new JsonArray().add(alice.id()), next(bob.socket()).getJsonArray("peers"));
    assertEquals(new JsonObject().put("type", "sdp").put("target", bob.id()).put("from", alice.id()),
        next(bob.socket()));
  }
}
