package io.switchboard.gateway.signaling;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.JoinReply;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.RoomList;
import io.switchboard.common.signaling.RoomPeers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * InMemorySignaling is one gateway node's rooms and routes in memory, for unit tests of
 * {@link SignalingSession} and {@link RoomsHandler}: the {@link RoomDirectory} keeps the rooms and
 * announces their presence changes to the node's sessions at once, and the {@link PeerRouter}
 * hands deliveries for this node straight to its sessions and records those for other nodes. Peers
 * on other nodes are added by the test. Members keep their users as signaling-service's rooms do.
 * Everything happens synchronously, on the caller's thread.
 */
final class InMemorySignaling implements RoomDirectory, PeerRouter {

  static final String NODE = "gateway-a";

  /** A delivery for another gateway node. */
  record Sent(String node, PeerDelivery delivery) {
  }

  private final int capacity;
  private final Map<String, Map<String, String>> rooms = new HashMap<>();
  private final Map<String, String> users = new HashMap<>();
  private final Map<String, SignalingSession> sessions = new HashMap<>();
  private final Map<String, Set<SignalingSession>> byRoom = new HashMap<>();
  private final Set<String> lost = new LinkedHashSet<>();
  private final List<Sent> remote = new ArrayList<>();
  private final List<String> leaves = new ArrayList<>();
  private long version;
  /** Each room's version, for the previous version of its next change. */
  private final Map<String, Long> roomVersions = new HashMap<>();
  /** Timers of the sessions, in the order they were set; they run when the test says. */
  private final Map<Long, Runnable> timers = new LinkedHashMap<>();
  private long timerIds;
  private boolean deferNextJoin;
  private boolean unheard;
  /** Where the events of changes made in {@link #captured} go instead of the sessions; null otherwise. */
  private List<PresenceEvent> capturing;
  private Promise<JoinReply> deferredJoin;
  private JoinReply deferredReply;

  InMemorySignaling(int capacity) {
    this.capacity = capacity;
  }

  // ---- RoomDirectory

  @Override
  public Future<JoinReply> join(String room, String peer, String user, String leaving) {
    Map<String, String> members = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
    if (!members.containsKey(peer) && members.size() >= capacity) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
          ErrorCode.ROOM_FULL.busCode(), "Room " + room + " is full (" + capacity + " peers)"));
    }
    add(room, peer, NODE, user);
    long joinedAt = version;
    Map<String, String> snapshot = new LinkedHashMap<>(members);
    boolean left = leaving != null && !leaving.equals(room) && remove(leaving, peer);
    JoinReply joined = new JoinReply(room, joinedAt, snapshot, left ? leaving : null, usersOf(snapshot));
    if (deferNextJoin) {
      // The room has changed and its members were told; the reply is still on its way.
      deferNextJoin = false;
      deferredJoin = Promise.promise();
      deferredReply = joined;
      return deferredJoin.future();
    }
    return Future.succeededFuture(joined);
  }

  @Override
  public Future<Void> leave(String room, String peer) {
    remove(room, peer);
    return Future.succeededFuture();
  }

  @Override
  public void leaveEventually(String room, String peer) {
    leaves.add(peer + "@" + room);
    remove(room, peer);
  }

  @Override
  public Collection<String> lostNodes() {
    return List.copyOf(lost);
  }

  @Override
  public boolean isLost(String node) {
    return lost.contains(node);
  }

  @Override
  public Future<RoomList> listRooms() {
    Map<String, Integer> sizes = new TreeMap<>();
    rooms.forEach((room, members) -> {
      if (!members.isEmpty()) {
        sizes.put(room, members.size());
      }
    });
    return Future.succeededFuture(RoomList.of(sizes));
  }

  @Override
  public Future<RoomPeers> roomPeers(String room) {
    return Future.succeededFuture(new RoomPeers(room, List.copyOf(members(room).keySet())));
  }

  // ---- PeerRouter

  @Override
  public void attach(SignalingSession session) {
    sessions.put(session.peerId(), session);
  }

  @Override
  public void detach(SignalingSession session) {
    sessions.remove(session.peerId());
    byRoom.values().forEach(members -> members.remove(session));
  }

  @Override
  public void enter(String room, SignalingSession session) {
    byRoom.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(session);
  }

  @Override
  public void exit(String room, SignalingSession session) {
    byRoom.getOrDefault(room, Set.of()).remove(session);
  }

  @Override
  public void send(String node, PeerDelivery delivery) {
    if (!node.equals(NODE)) {
      remote.add(new Sent(node, delivery));
    } else if (delivery.broadcast()) {
      inRoom(delivery.room()).forEach(session -> session.onPeerDelivery(delivery));
    } else if (sessions.get(delivery.peer()) != null) {
      sessions.get(delivery.peer()).onPeerDelivery(delivery);
    }
  }

  @Override
  public long setTimer(long delayMillis, Runnable task) {
    long id = timerIds++;
    timers.put(id, task);
    return id;
  }

  @Override
  public void cancelTimer(long id) {
    timers.remove(id);
  }

  // ---- what the test does to the cluster

  /** Runs every timer set so far, as if their time had come. */
  void fireTimers() {
    List<Runnable> due = List.copyOf(timers.values());
    timers.clear();
    due.forEach(Runnable::run);
  }

  /** The timers set and not yet run or cancelled. */
  int pendingTimers() {
    return timers.size();
  }

  /** A peer of another gateway node joins {@code room}. */
  void joinFromElsewhere(String room, String peer, String node) {
    joinFromElsewhere(room, peer, node, null);
  }

  /** A peer of another gateway node joins {@code room} as {@code user}. */
  void joinFromElsewhere(String room, String peer, String node, String user) {
    rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
    add(room, peer, node, user);
  }

  /** A peer of another gateway node leaves {@code room}. */
  void leaveFromElsewhere(String room, String peer) {
    remove(room, peer);
  }

  /**
   * Changes the rooms without this node's sessions hearing of it, as while another member took
   * this node for lost: its own peers evicted by {@code change} are not told either.
   */
  void unheard(Runnable change) {
    unheard = true;
    try {
      change.run();
    } finally {
      unheard = false;
    }
  }

  /**
   * Makes {@code change} and returns its presence events instead of delivering them, for the test
   * to deliver in an order of its own ({@link #deliverAgain}), as two signaling instances may.
   */
  List<PresenceEvent> captured(Runnable change) {
    capturing = new ArrayList<>();
    try {
      change.run();
      return capturing;
    } finally {
      capturing = null;
    }
  }

  /** Takes {@code peer} out of {@code room}, as an eviction does; returns the room's version after. */
  long evict(String room, String peer) {
    remove(room, peer);
    return version;
  }

  /**
   * signaling-service tells this node, found in the cluster again, that {@code peers} were evicted
   * at {@code evictedAt}.
   */
  void noticeEviction(String room, long evictedAt, String... peers) {
    publish(PresenceEvent.evicted(room, evictedAt, List.of(peers)));
  }

  /** A gateway node leaves the cluster; its peers are evicted after the sessions are told. */
  void loseNode(String node) {
    lost.add(node);
    List.copyOf(sessions.values()).forEach(session -> session.onNodeLost(node));
    rooms.forEach((room, members) -> List.copyOf(members.entrySet()).stream()
        .filter(member -> member.getValue().equals(node))
        .forEach(member -> remove(room, member.getKey())));
  }

  /**
   * This gateway sees a node leave the cluster, but signaling-service does not (a glitch of this
   * gateway's member list): the sessions are told, and no peer is evicted.
   */
  void loseSightOf(String node) {
    lost.add(node);
    List.copyOf(sessions.values()).forEach(session -> session.onNodeLost(node));
  }

  /** A gateway node that was lost is in the cluster again, as after a healed partition. */
  void healNode(String node) {
    lost.remove(node);
    List.copyOf(sessions.values()).forEach(session -> session.onNodeJoined(node));
  }

  /**
   * signaling-service reconciles {@code room} after a merge: it holds {@code members} (peer, node
   * pairs in join order), and {@code overCapacity} were removed for being over capacity. Returns
   * the event, which the room's sessions here get.
   */
  PresenceEvent reconcile(String room, List<String> overCapacity, String... members) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (int i = 0; i < members.length; i += 2) {
      merged.put(members[i], members[i + 1]);
    }
    rooms.put(room, new LinkedHashMap<>(merged));
    PresenceEvent event = PresenceEvent.reconciliation(room, ++version, merged, overCapacity,
        usersOf(merged), overCapacity);
    roomVersions.put(room, version);
    publish(event);
    return event;
  }

  /** Delivers {@code event} again, as a second attempt would. */
  void deliverAgain(PresenceEvent event) {
    publish(event);
  }

  /** The reply to the next join waits for {@link #answerDeferredJoin()}. */
  void deferNextJoin() {
    deferNextJoin = true;
  }

  void answerDeferredJoin() {
    deferredJoin.complete(deferredReply);
  }

  /** Deliveries for other gateway nodes, in the order they were sent. */
  List<Sent> remote() {
    return remote;
  }

  /** Leaves made for connections that are gone, as {@code peer@room}. */
  List<String> leavesOfClosedConnections() {
    return leaves;
  }

  Map<String, String> members(String room) {
    return rooms.getOrDefault(room, Map.of());
  }

  private void add(String room, String peer, String node, String user) {
    rooms.get(room).put(peer, node);
    if (user != null) {
      users.put(peer, user);
    }
    publish(PresenceEvent.joined(room, ++version, previous(room), peer, node, user));
  }

  private Map<String, String> usersOf(Map<String, String> members) {
    Map<String, String> named = new LinkedHashMap<>();
    members.keySet().forEach(peer -> {
      if (users.containsKey(peer)) {
        named.put(peer, users.get(peer));
      }
    });
    return named;
  }

  private boolean remove(String room, String peer) {
    Map<String, String> members = rooms.get(room);
    if (members == null || members.remove(peer) == null) {
      return false;
    }
    if (members.isEmpty()) {
      rooms.remove(room);
    }
    publish(PresenceEvent.left(room, ++version, previous(room), List.of(peer)));
    return true;
  }

  /** The room's version before the change being made, 0 when it is new; records the change's. */
  private long previous(String room) {
    Long before = roomVersions.get(room);
    if (rooms.containsKey(room)) {
      roomVersions.put(room, version);
    } else {
      roomVersions.remove(room);
    }
    return before == null ? 0 : before;
  }

  private void publish(PresenceEvent presence) {
    if (unheard) {
      return;
    }
    if (capturing != null) {
      capturing.add(presence);
      return;
    }
    inRoom(presence.room()).forEach(session -> session.onPresence(presence));
  }

  private List<SignalingSession> inRoom(String room) {
    return List.copyOf(byRoom.getOrDefault(room, Set.of()));
  }
}
