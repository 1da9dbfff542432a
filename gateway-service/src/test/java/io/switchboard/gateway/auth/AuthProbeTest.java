package io.switchboard.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.switchboard.common.testing.TestCluster;
import io.switchboard.gateway.FixedClusterView;
import io.switchboard.gateway.GatewayTestSupport;
import io.switchboard.gateway.RawClient;
import io.switchboard.gateway.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/auth}: whether the gateway needs credentials, and what the request's allow. */
class AuthProbeTest {

  private static final String SECRET = "a-secret-of-the-auth-probe-test-32-bytes";
  private static final String API_KEY = "probe-test-api-key";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  private int gateway(String... variables) {
    Map<String, String> env = new HashMap<>(Map.of("GATEWAY_EVENT_LOOPS", "1"));
    for (int i = 0; i < variables.length; i += 2) {
      env.put(variables[i], variables[i + 1]);
    }
    return GatewayTestSupport.deploy(vertx, TestConfigs.gateway(env), FixedClusterView.joinedNode()).actualPort();
  }

  @Test
  void inOpenModeTheAnswerIsOpenWithoutCredentials() {
    int port = gateway();
    try (RawClient client = RawClient.connect(port)) {
      RawClient.Response answer = client.get("/api/auth");
      assertEquals(200, answer.status());
      assertEquals(new JsonObject().put("mode", "open"), answer.json());
    }
  }

  @Test
  void inJwtModeATokenLearnsItsUserExpiryAndClaimsAndNoCredentialsAre401() {
    int port = gateway("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET, "AUTH_API_KEYS", API_KEY);
    long exp = System.currentTimeMillis() / 1000 + 600;
    String token = JWTAuth.create(vertx, new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)))
        .generateToken(new JsonObject().put("sub", "alice").put("exp", exp)
            .put("subscribe", new JsonArray().add("chat.*")).put("publish", "chat.alice"), new JWTOptions());
    try (RawClient client = RawClient.connect(port)) {
      RawClient.Response refused = client.get("/api/auth");
      assertEquals(401, refused.status());
      assertEquals("unauthorized", refused.json().getString("code"));

      JsonObject user = client.get("/api/auth", "Authorization: Bearer " + token).json();
      assertEquals(new JsonObject().put("mode", "jwt").put("kind", "user").put("user", "alice").put("exp", exp)
          .put("subscribe", new JsonArray().add("chat.*")).put("publish", new JsonArray().add("chat.alice"))
          .put("rooms", new JsonArray()).put("admin", false), user);
      assertFalse(user.encode().contains(token), "the token is not repeated");

      assertEquals(new JsonObject().put("mode", "jwt").put("kind", "api-key").put("admin", true),
          client.get("/api/auth", "X-API-Key: " + API_KEY).json());
      assertEquals(401, client.get("/api/auth", "Authorization: Bearer not-a-token").status());
    }
  }
}
