package io.switchboard.gateway.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.switchboard.gateway.TestConfigs;
import io.switchboard.gateway.node.SignalingConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TURN REST API credentials and ICE server configuration. */
class IceServersTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  @Test
  void turnCredentialsFollowTheTurnRestApiScheme() {
    SignalingConfig config = SignalingConfig.from(new Env(Map.of(
        "SIGNALING_STUN_URLS", "stun:stun.example.org:3478",
        "SIGNALING_TURN_URLS", "turn:turn.example.org:3478",
        "SIGNALING_TURN_SECRET", "north",
        "SIGNALING_TURN_TTL_SECONDS", "3600")));
    JsonArray servers = new IceServers(config, CLOCK).forPeer("abc", true);
    assertEquals(new JsonObject().put("urls", new JsonArray().add("stun:stun.example.org:3478")),
        servers.getJsonObject(0));
    // Expected value computed independently:
    // echo -n "1700003600:abc" | openssl dgst -sha1 -hmac north -binary | base64
    assertEquals(new JsonObject().put("urls", new JsonArray().add("turn:turn.example.org:3478"))
            .put("username", "1700003600:abc").put("credential", "IMSPYGMI9e0aXDFcZousOwkA8N0="),
        servers.getJsonObject(1));
  }

  @Test
  void staticTurnCredentialsAreSentAsConfigured() {
    SignalingConfig config = SignalingConfig.from(new Env(Map.of(
        "SIGNALING_TURN_URLS", "turns:turn.example.org:5349",
        "SIGNALING_TURN_USERNAME", "user",
        "SIGNALING_TURN_CREDENTIAL", "pass")));
    JsonObject turn = new IceServers(config, CLOCK).forPeer("abc", true).getJsonObject(0);
    assertEquals("user", turn.getString("username"));
    assertEquals("pass", turn.getString("credential"));
  }

  @Test
  void aPeerThatIsNotAuthenticatedGetsTheStunServersButNoTurnServerOrCredentials() {
    SignalingConfig config = SignalingConfig.from(new Env(Map.of(
        "SIGNALING_STUN_URLS", "stun:stun.example.org:3478",
        "SIGNALING_TURN_URLS", "turn:turn.example.org:3478",
        "SIGNALING_TURN_USERNAME", "user",
        "SIGNALING_TURN_CREDENTIAL", "pass")));
    assertEquals(new JsonArray().add(new JsonObject().put("urls", new JsonArray().add("stun:stun.example.org:3478"))),
        new IceServers(config, CLOCK).forPeer("abc", false));
  }

  @Test
  void noServersConfiguredMeansAnEmptyList() {
    assertEquals(new JsonArray(), new IceServers(TestConfigs.signaling(), CLOCK).forPeer("abc", true));
  }

  @Test
  void turnUrlsWithoutCredentialsAreRefusedAtStartup() {
    assertThrows(ConfigException.class, () -> SignalingConfig.from(new Env(Map.of(
        "SIGNALING_TURN_URLS", "turn:turn.example.org:3478"))));
  }

  @Test
  void urlsWithTheWrongSchemeAreRefusedAtStartup() {
    assertThrows(ConfigException.class, () -> SignalingConfig.from(new Env(Map.of(
        "SIGNALING_STUN_URLS", "http://stun.example.org"))));
    assertThrows(ConfigException.class, () -> SignalingConfig.from(new Env(Map.of(
        "SIGNALING_TURN_URLS", "stun:turn.example.org", "SIGNALING_TURN_SECRET", "s"))));
  }
}
