package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.gateway.TestConfigs;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Room introspection (docs/protocol.md, Room introspection) over an in-memory room directory: the
 * bodies of {@code GET /api/rooms} and {@code GET /api/rooms/:room}, byte for byte, on a plain
 * Vert.x with no cluster.
 */
@ExtendWith(VertxExtension.class)
class RoomsHandlerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final InMemorySignaling signaling = new InMemorySignaling(16);
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    client = WebClient.create(vertx);
  }

  /** Serves the two routes over {@code rooms} on an ephemeral loopback port; returns the port. */
  private int serve(RoomDirectory rooms) {
    RoomsHandler handler = new RoomsHandler(rooms, TIMEOUT);
    Router router = Router.router(vertx);
    router.get("/api/rooms").handler(handler::list);
    router.get("/api/rooms/:room").handler(handler::get);
    HttpServer server =
        TestCluster.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return TestCluster.awaitOn(vertx, () -> client.get(port, "127.0.0.1", path).send());
  }

  private void standupAndLobby() {
    signaling.joinFromElsewhere("standup", "alice", "gateway-b");
    signaling.joinFromElsewhere("standup", "bob", "gateway-c");
    signaling.joinFromElsewhere("lobby", "carol", "gateway-b");
  }

  @Test
  void theRoomListingNamesEachRoomWithMembersSortedByNameWithItsCount() {
    standupAndLobby();
    HttpResponse<Buffer> response = get(serve(signaling), "/api/rooms");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals("{\"rooms\":[{\"room\":\"lobby\",\"peers\":1},{\"room\":\"standup\",\"peers\":2}]}",
        response.bodyAsString());
  }

  @Test
  void aRoomListsItsPeersInJoinOrder() {
    standupAndLobby();
    HttpResponse<Buffer> response = get(serve(signaling), "/api/rooms/standup");
    assertEquals(200, response.statusCode());
    assertEquals("{\"room\":\"standup\",\"peers\":[\"alice\",\"bob\"]}", response.bodyAsString());
  }

  @Test
  void aRoomWithNobodyInItHasNoPeers() {
    HttpResponse<Buffer> response = get(serve(signaling), "/api/rooms/nobody-here");
    assertEquals(200, response.statusCode());
    assertEquals("{\"room\":\"nobody-here\",\"peers\":[]}", response.bodyAsString());
  }

  @Test
  void anInvalidRoomNameIsABadRequest() {
    HttpResponse<Buffer> response = get(serve(signaling), "/api/rooms/bad%20name");
    assertEquals(400, response.statusCode());
    assertEquals(ErrorCode.BAD_REQUEST.toJson(SignalingProtocol.ROOM_NAME_RULE), response.bodyAsJsonObject());
  }

  @Test
  void withNoSignalingServiceTheClusteredDirectoryAnswersServiceUnavailable() {
    // The clustered directory on a bus where no signaling-service consumer is registered.
    RoomControl control =
        new RoomControl(vertx, "gateway-a", TestConfigs.signaling(), new LostNodes("gateway-a"));
    int port = serve(control);
    for (String path : new String[] {"/api/rooms", "/api/rooms/standup"}) {
      HttpResponse<Buffer> response = get(port, path);
      assertEquals(503, response.statusCode());
      assertEquals(ErrorCode.SERVICE_UNAVAILABLE.toJson("No signaling service instance is available"),
          response.bodyAsJsonObject());
    }
  }
}
