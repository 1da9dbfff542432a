package io.switchboard.it.chaos;

import io.switchboard.common.testing.TestSocket;
import io.switchboard.it.Http;
import io.switchboard.it.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * SignalingPairs keeps pairs of signaling peers on {@code /ws/signaling}, each pair in a room of
 * its own and, when it can, on two gateways: they relay numbered {@code sdp} frames to each other,
 * one at a time, and reconnect and join again as the SDK does when their connection closes. A third
 * peer now and then tries to join the full room. The ledger counts every relay sent and received,
 * any relay received twice or out of order, and every {@code joined} that listed more peers than
 * the room's capacity.
 */
final class SignalingPairs implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration RELAY_WAIT = Duration.ofSeconds(5);

  /** One end of a pair: its socket, the gateway it is on, its peer id, and what it was told. */
  private static final class Peer {
    volatile TestSocket socket;
    volatile int port;
    volatile String id;
    volatile boolean joined;
    final Set<String> known = new HashSet<>();
    final Set<Long> seen = new HashSet<>();
    final Map<String, Long> lastSeqFrom = new HashMap<>();
  }

  /** A peer of a room connected through a gateway, as the eviction check needs it. */
  record Placed(String room, String id) {
  }

  /**
   * A room seen over its capacity, in a listing or in what a member was told ({@code view}), and
   * when.
   */
  record Excess(String room, long atNanos, String what, boolean view) {
  }

  private final Vertx vertx;
  private final Supplier<List<Integer>> ports;
  private final int capacity;
  private final Tally tally;
  private final List<String> incidents;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Pair> pairs = new CopyOnWriteArrayList<>();
  private final List<Excess> excesses = new CopyOnWriteArrayList<>();
  /** When each room was last listed within its capacity. */
  private final Map<String, Long> lastWithin = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean stopped;

  SignalingPairs(Vertx vertx, Supplier<List<Integer>> ports, int capacity, Tally tally,
      List<String> incidents) {
    this.vertx = vertx;
    this.ports = ports;
    this.capacity = capacity;
    this.tally = tally;
    this.incidents = incidents;
  }

  void start(int count, String prefix) {
    for (int i = 0; i < count; i++) {
      Pair pair = new Pair(prefix + "-" + i);
      pairs.add(pair);
      Thread thread = new Thread(pair::run, "signaling pair " + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  List<String> rooms() {
    return pairs.stream().map(pair -> pair.room).toList();
  }

  /** The joined peers connected through the gateway on {@code port}. */
  List<Placed> peersOn(int port) {
    List<Placed> placed = new ArrayList<>();
    for (Pair pair : pairs) {
      for (Peer peer : List.of(pair.a, pair.b)) {
        if (peer.port == port && peer.joined && peer.id != null) {
          placed.add(new Placed(pair.room, peer.id));
        }
      }
    }
    return placed;
  }

  /**
   * Lists every room once through a gateway in rotation ({@code GET /api/rooms/{room}}) and
   * returns the largest count of peers seen; a listing over the capacity is an incident.
   */
  int sampleRooms() {
    int largest = 0;
    for (String room : rooms()) {
      List<Integer> up = ports.get();
      try {
        HttpResponse<String> response = Http.get(up.get(0), "/api/rooms/" + room);
        if (response.statusCode() != 200) {
          tally.add("room listings answered " + response.statusCode());
          continue;
        }
        int peers = Http.json(response).getJsonArray("peers").size();
        tally.add("room listings");
        largest = Math.max(largest, peers);
        if (peers > capacity) {
          tally.add("room listings over capacity");
          excess(room, "listed " + response.body(), false);
        } else {
          lastWithin.put(room, System.nanoTime());
        }
      } catch (AssertionError | RuntimeException unreachable) {
        tally.add("room listings failed");
      }
    }
    return largest;
  }

  /**
   * Polls the rooms of {@code peers} through the gateway on {@code port} until none of them is
   * listed; returns how long that took from {@code sinceNanos}, or -1 after {@code timeout}.
   */
  long awaitEvicted(List<Placed> peers, int port, long sinceNanos, Duration timeout) {
    while (System.nanoTime() - sinceNanos < timeout.toNanos()) {
      boolean gone = true;
      for (Placed peer : peers) {
        try {
          HttpResponse<String> response = Http.get(port, "/api/rooms/" + peer.room());
          gone &= response.statusCode() == 200
              && !Http.json(response).getJsonArray("peers").contains(peer.id());
        } catch (AssertionError | RuntimeException unreachable) {
          gone = false;
        }
      }
      if (gone) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
      }
      ServiceProcess.pause(100);
    }
    return -1;
  }

  private void excess(String room, String what, boolean view) {
    excesses.add(new Excess(room, System.nanoTime(), what, view));
    incidents.add(java.time.Instant.now() + " " + room + " " + what);
  }

  /** Every time a room was seen over its capacity. */
  List<Excess> excesses() {
    return List.copyOf(excesses);
  }

  /** Whether {@code room} was listed within its capacity after {@code nanos}: an excess corrected. */
  boolean listedWithinAfter(String room, long nanos) {
    Long last = lastWithin.get(room);
    return last != null && last > nanos;
  }

  /** Waits until every pair has relayed both ways once more: the load is flowing. */
  void awaitRelaying(Duration timeout) {
    long before = tally.get("relays delivered");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (tally.get("relays delivered") < before + 2L * pairs.size()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Signaling pairs not relaying within " + timeout);
      }
      ServiceProcess.pause(100);
    }
  }

  private final class Pair {
    final String room;
    final Peer a = new Peer();
    final Peer b = new Peer();
    long seq;
    int rounds;

    Pair(String room) {
      this.room = room;
    }

    void run() {
      while (!stopped) {
        try {
          if (ensureJoined(a, b) && ensureJoined(b, a)) {
            relay(a, b);
            relay(b, a);
            if (++rounds % 20 == 0) {
              crowd();
            }
          }
          ServiceProcess.pause(200);
        } catch (RuntimeException | AssertionError error) {
          tally.add("signaling client errors");
          ServiceProcess.pause(500);
        }
      }
      closeQuietly(a);
      closeQuietly(b);
    }

    /** Connects and joins {@code peer} if its connection closed or it is not in the room. */
    boolean ensureJoined(Peer peer, Peer partner) {
      if (peer.socket != null && peer.socket.isClosed()) {
        tally.add("signaling closes with " + peer.socket.awaitClose(Duration.ZERO));
        closeQuietly(peer);
      }
      if (peer.socket == null) {
        connect(peer, partner.port);
      }
      if (peer.joined) {
        return true;
      }
      peer.socket.send(new JsonObject().put("type", "join").put("room", room));
      JsonObject answer = await(peer, frame -> "joined".equals(frame.getString("type"))
          || "error".equals(frame.getString("type")), () -> false, WAIT);
      if (answer == null) {
        tally.add("signaling joins unanswered");
        return false;
      }
      if ("error".equals(answer.getString("type"))) {
        tally.add("signaling joins refused with " + answer.getString("code"));
        ServiceProcess.pause(300);
        return false;
      }
      tally.add("signaling joins");
      peer.joined = true;
      return true;
    }

    private void connect(Peer peer, int partnerPort) {
      List<Integer> up = ports.get();
      List<Integer> others = up.stream().filter(port -> port != partnerPort).toList();
      List<Integer> choice = others.isEmpty() ? up : others;
      int port = choice.get(ThreadLocalRandom.current().nextInt(choice.size()));
      peer.socket = TestSocket.connect(vertx, port, "/ws/signaling");
      peer.port = port;
      JsonObject welcome = await(peer, frame -> "welcome".equals(frame.getString("type")), () -> false, WAIT);
      if (welcome == null) {
        throw new AssertionError("No welcome on " + port);
      }
      peer.id = welcome.getString("id");
      peer.known.clear();
      peer.joined = false;
      tally.add("signaling connections");
    }

    /** One numbered relay from {@code from} to {@code to}, awaited at {@code to}. */
    void relay(Peer from, Peer to) {
      if (await(from, frame -> false, () -> from.known.contains(to.id), WAIT) == null) {
        // The partner's join was never announced to this peer: start both over.
        tally.add("relays skipped: partner not announced");
        closeQuietly(to);
        return;
      }
      long n = ++seq;
      String fromId = from.id;
      from.socket.send(new JsonObject().put("type", "sdp").put("target", to.id).put("seq", n)
          .put("sdp", "chaos " + n));
      tally.add("relays sent");
      JsonObject got = await(to, frame -> "sdp".equals(frame.getString("type"))
          && fromId.equals(frame.getString("from")) && frame.getLong("seq", -1L) == n, () -> false, RELAY_WAIT);
      if (got != null) {
        tally.add("relays delivered");
      } else {
        tally.add("relays not delivered within 5 s"
            + (from.socket.isClosed() || to.socket.isClosed() ? " (a connection closed)" : ""));
      }
    }

    /** A third peer tries to join the room; it must be refused while the pair is in it. */
    void crowd() {
      Peer third = new Peer();
      try {
        connect(third, -1);
        third.socket.send(new JsonObject().put("type", "join").put("room", room));
        JsonObject answer = await(third, frame -> "joined".equals(frame.getString("type"))
            || "error".equals(frame.getString("type")), () -> false, WAIT);
        String outcome = answer == null ? "unanswered" : answer.getString("code", "joined");
        tally.add("crowding joins " + outcome);
      } finally {
        closeQuietly(third);
      }
    }

    /**
     * Reads {@code peer}'s frames, noting each, until one matches {@code frame} (returned) or
     * {@code state} holds (an empty object returned); null after {@code timeout} or a close.
     */
    JsonObject await(Peer peer, Predicate<JsonObject> frame, BooleanSupplier state, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (state.getAsBoolean()) {
          return new JsonObject();
        }
        Object message;
        try {
          message = peer.socket.next(Duration.ofMillis(200));
        } catch (AssertionError quiet) {
          if (peer.socket.isClosed()) {
            return null;
          }
          continue;
        }
        if (message instanceof String text && text.startsWith("{")) {
          JsonObject json = new JsonObject(text);
          note(peer, json);
          if (frame.test(json)) {
            return json;
          }
        }
      }
      return state.getAsBoolean() ? new JsonObject() : null;
    }

    /** Keeps {@code peer}'s view of its room and its relay ledger up to date with one frame. */
    private void note(Peer peer, JsonObject frame) {
      switch (String.valueOf(frame.getString("type"))) {
        case "joined" -> {
          peer.known.clear();
          frame.getJsonArray("peers").forEach(id -> peer.known.add(id.toString()));
          overCapacity(peer, "joined");
        }
        case "peer-joined" -> {
          peer.known.add(frame.getString("data"));
          overCapacity(peer, "peer-joined");
        }
        case "peer-left" -> peer.known.remove(frame.getString("data"));
        case "left" -> {
          // Taken out by the server (over-capacity, evicted): in no room, it joins again.
          tally.add("signaling lefts with reason " + frame.getString("reason"));
          peer.known.clear();
          peer.joined = false;
        }
        case "sdp" -> received(peer, frame);
        case "error" -> tally.add("signaling errors " + frame.getString("code"));
        default -> {
        }
      }
    }

    private void received(Peer peer, JsonObject frame) {
      long n = frame.getLong("seq", -1L);
      String from = frame.getString("from");
      if (!peer.seen.add(n)) {
        tally.add("relays received twice");
        incidents.add("relay " + n + " from " + from + " received twice in " + room);
      }
      Long last = peer.lastSeqFrom.put(from, n);
      if (last != null && n < last) {
        tally.add("relays out of order");
        incidents.add("relay " + n + " from " + from + " after " + last + " in " + room);
      }
    }

    private void overCapacity(Peer peer, String frame) {
      if (peer.known.size() + 1 > capacity) {
        tally.add("room views over capacity");
        excess(room, frame + " left " + peer.id + " seeing " + peer.known + " beside itself", true);
      }
    }

    private void closeQuietly(Peer peer) {
      TestSocket socket = peer.socket;
      peer.socket = null;
      peer.joined = false;
      if (socket != null) {
        try {
          socket.close();
        } catch (RuntimeException ignored) {
          // Already closed.
        }
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    for (Thread thread : threads) {
      try {
        thread.join(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
