package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Room is one signaling room and its members, raw WebSocket clients that behave as the SDK does
 * when their gateway goes away: after the close with {@code 1001} each connects to another gateway,
 * gets a new peer id, and joins the room again. It checks what every member sees on the way.
 */
final class Room implements AutoCloseable {

  /** A member: its socket, the port of the gateway it is connected to, and its current peer id. */
  private static final class Member {
    TestSocket socket;
    int port;
    String id;
  }

  private final Vertx vertx;
  private final String name;
  private final Duration wait;
  private final List<Member> members = new ArrayList<>();

  Room(Vertx vertx, String name, Duration wait) {
    this.vertx = vertx;
    this.name = name;
    this.wait = wait;
  }

  /** A new member joins through the gateway on {@code port}; the others are told. */
  void enter(int port) {
    Member member = new Member();
    join(member, port);
    members.add(member);
  }

  /**
   * Every member of the gateway on {@code oldPort}, which is shutting down, sees its WebSocket close
   * with {@code 1001}, reconnects through {@code newPort} and joins again: the others, who kept
   * their membership, are listed to it, and they see the old peer leave and the new one join.
   */
  void rejoinFrom(int oldPort, int newPort) {
    for (Member member : members) {
      if (member.port != oldPort) {
        continue;
      }
      assertEquals(Short.valueOf((short) 1001), member.socket.awaitClose(wait), "close status on shutdown");
      member.socket.close();
      String old = member.id;
      join(member, newPort);
      for (Member other : others(member)) {
        awaitLeftAndJoined(other.socket, old, member.id);
      }
    }
  }

  /** Every member relays an {@code sdp} to every other, and each arrives once, from its sender. */
  void relayBetweenAll(String label) {
    for (Member from : members) {
      for (Member to : others(from)) {
        from.socket.send(new JsonObject().put("type", "sdp").put("target", to.id)
            .put("sdp", label + ": " + from.id + " to " + to.id));
      }
    }
    for (Member to : members) {
      Set<String> expected = new HashSet<>();
      Set<String> received = new HashSet<>();
      for (Member from : others(to)) {
        expected.add(from.id + " " + label + ": " + from.id + " to " + to.id);
        JsonObject sdp = to.socket.nextOfType("sdp", wait);
        received.add(sdp.getString("from") + " " + sdp.getString("sdp"));
      }
      assertEquals(expected, received, "relays to " + to.id + " " + label);
    }
  }

  /** The current peer ids of the members. */
  Set<String> ids() {
    Set<String> ids = new HashSet<>();
    members.forEach(member -> ids.add(member.id));
    return ids;
  }

  /** The room's peers as the gateway on {@code port} lists them ({@code GET /api/rooms/{room}}). */
  Set<String> listedBy(int port) {
    HttpResponse<String> response = Http.get(port, "/api/rooms/" + name);
    assertEquals(200, response.statusCode(), response.body());
    Set<String> peers = new HashSet<>();
    Http.json(response).getJsonArray("peers").forEach(peer -> peers.add(peer.toString()));
    return peers;
  }

  private void join(Member member, int port) {
    member.socket = TestSocket.connect(vertx, port, "/ws/signaling");
    member.port = port;
    member.id = member.socket.nextOfType("welcome", wait).getString("id");
    member.socket.send(new JsonObject().put("type", "join").put("room", name));
    JsonObject joined = member.socket.nextOfType("joined", wait);
    Set<String> listed = new HashSet<>();
    joined.getJsonArray("peers").forEach(peer -> listed.add(peer.toString()));
    for (Member other : others(member)) {
      assertTrue(listed.contains(other.id), other.id + " kept its membership: " + joined);
    }
    if (!members.contains(member)) {
      for (Member other : members) {
        assertEquals(member.id, other.socket.nextOfType("peer-joined", wait).getString("data"));
      }
    }
  }

  /**
   * Takes {@code peer-left} for {@code old} and {@code peer-joined} for {@code current}, in either
   * order: the old peer leaves when the cluster drops its gateway, which may come after the rejoin.
   */
  private void awaitLeftAndJoined(TestSocket socket, String old, String current) {
    Set<String> expected = Set.of("peer-left " + old, "peer-joined " + current);
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (!seen.containsAll(expected)) {
      assertTrue(System.nanoTime() < deadline, "saw only " + seen + " of " + expected);
      Object message = socket.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (message instanceof String text && text.startsWith("{")) {
        JsonObject json = new JsonObject(text);
        seen.add(json.getString("type") + " " + json.getString("data"));
      }
    }
  }

  private List<Member> others(Member member) {
    return members.stream().filter(other -> other != member).toList();
  }

  @Override
  public void close() {
    members.forEach(member -> member.socket.close());
  }
}
