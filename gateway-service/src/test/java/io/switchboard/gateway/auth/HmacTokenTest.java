package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.SECRET;
import static io.switchboard.gateway.auth.TestKeys.await;
import static io.switchboard.gateway.auth.TestKeys.bearer;
import static io.switchboard.gateway.auth.TestKeys.claims;
import static io.switchboard.gateway.auth.TestKeys.hs256;
import static io.switchboard.gateway.auth.TestKeys.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Env;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens signed with AUTH_JWT_SECRET: what is accepted, and why the rest is refused. */
class HmacTokenTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private Authenticator authenticator(String... moreVariables) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("AUTH_MODE", "jwt", "AUTH_JWT_SECRET", SECRET));
    for (int i = 0; i < moreVariables.length; i += 2) {
      env.put(moreVariables[i], moreVariables[i + 1]);
    }
    return await(Authenticator.create(vertx, AuthConfig.from(new Env(env))));
  }

  @Test
  void aValidTokenGrantsItsClaims() {
    JsonObject claims = claims("alice", HOUR).put("subscribe", new JsonArray().add("chat.*"))
        .put("publish", "chat.alice").put("rooms", new JsonArray().add("team-*")).put("admin", true);
    Grants grants = await(authenticator().authenticate(bearer(hs256(vertx, SECRET, claims))));
    assertEquals(Grants.Kind.USER, grants.kind());
    assertEquals("alice", grants.sub());
    assertEquals(claims.getLong("exp"), grants.exp());
    assertEquals(Patterns.of("chat.*"), grants.subscribe());
    assertEquals(Patterns.of("chat.alice"), grants.publish());
    assertEquals(Patterns.of("team-*"), grants.rooms());
    assertTrue(grants.isAdmin());
  }

  @Test
  void absentPatternClaimsAllowNothing() {
    Grants grants = await(authenticator().authenticate(bearer(hs256(vertx, SECRET, claims("bob", HOUR)))));
    assertFalse(grants.mayStream("chat"));
    assertFalse(grants.mayPublish("chat"));
    assertFalse(grants.mayJoin("team"));
    assertFalse(grants.isAdmin());
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRefused() {
    String token = hs256(vertx, "another-secret-that-is-32-bytes-long", claims("alice", HOUR));
    AuthFailure failure = refusal(authenticator().authenticate(bearer(token)));
    assertEquals(AuthFailure.Reason.INVALID, failure.reason());
    assertEquals(401, failure.reason().httpStatus());
    assertEquals("unauthorized", failure.reason().code());
  }

  @Test
  void anExpiredTokenIsRefusedAsExpired() {
    String token = hs256(vertx, SECRET, claims("alice", Duration.ofSeconds(-10)));
    AuthFailure failure = refusal(authenticator().authenticate(bearer(token)));
    assertEquals(AuthFailure.Reason.INVALID, failure.reason());
    assertEquals("The token has expired", failure.getMessage());
  }

  @Test
  void aTokenWithoutSubjectIsRefused() {
    JsonObject claims = claims("alice", HOUR);
    claims.remove("sub");
    assertEquals("The token has no subject (sub)",
        refusal(authenticator().authenticate(bearer(hs256(vertx, SECRET, claims)))).getMessage());
  }

  @Test
  void aTokenWithoutExpiryIsRefused() {
    JsonObject claims = new JsonObject().put("sub", "alice");
    AuthFailure failure = refusal(authenticator().authenticate(bearer(hs256(vertx, SECRET, claims))));
    assertTrue(failure.getMessage().contains("exp"), failure.getMessage());
  }

  @Test
  void aTokenNotValidYetIsRefused() {
    JsonObject claims = claims("alice", HOUR).put("nbf", System.currentTimeMillis() / 1000 + 600);
    AuthFailure failure = refusal(authenticator().authenticate(bearer(hs256(vertx, SECRET, claims))));
    assertTrue(failure.getMessage().contains("nbf"), failure.getMessage());
  }

  @Test
  void theIssuerMustMatchWhenConfigured() {
    Authenticator authenticator = authenticator("AUTH_JWT_ISSUER", "https://idp.example.org");
    String wrong = hs256(vertx, SECRET, claims("alice", HOUR).put("iss", "https://evil.example.org"));
    String none = hs256(vertx, SECRET, claims("alice", HOUR));
    String right = hs256(vertx, SECRET, claims("alice", HOUR).put("iss", "https://idp.example.org"));
    assertTrue(refusal(authenticator.authenticate(bearer(wrong))).getMessage().contains("iss"));
    assertTrue(refusal(authenticator.authenticate(bearer(none))).getMessage().contains("iss"));
    assertEquals("alice", await(authenticator.authenticate(bearer(right))).sub());
  }

  @Test
  void theAudienceMustBeAmongTheTokensWhenConfigured() {
    Authenticator authenticator = authenticator("AUTH_JWT_AUDIENCE", "switchboard");
    String wrong = hs256(vertx, SECRET, claims("alice", HOUR).put("aud", "billing"));
    String none = hs256(vertx, SECRET, claims("alice", HOUR));
    String among = hs256(vertx, SECRET, claims("alice", HOUR)
        .put("aud", new JsonArray().add("billing").add("switchboard")));
    assertTrue(refusal(authenticator.authenticate(bearer(wrong))).getMessage().contains("aud"));
    assertTrue(refusal(authenticator.authenticate(bearer(none))).getMessage().contains("aud"));
    assertEquals("alice", await(authenticator.authenticate(bearer(among))).sub());
  }

  @Test
  void aPatternClaimOfTheWrongShapeIsRefused() {
    String token = hs256(vertx, SECRET, claims("alice", HOUR).put("subscribe", new JsonArray().add(7)));
    assertTrue(refusal(authenticator().authenticate(bearer(token))).getMessage().contains("subscribe"));
  }

  @Test
  void malformedAndUnsignedTokensAreRefused() {
    Authenticator authenticator = authenticator();
    String signed = hs256(vertx, SECRET, claims("alice", HOUR));
    String unsigned = signed.substring(0, signed.lastIndexOf('.') + 1);
    String noneAlg = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + signed.substring(signed.indexOf('.'));
    for (String token : new String[] {"not-a-jwt", "a.b.c", unsigned, noneAlg}) {
      assertEquals(AuthFailure.Reason.INVALID, refusal(authenticator.authenticate(bearer(token))).reason(), token);
    }
  }

  @Test
  void noCredentialsAreMissingNotInvalid() {
    AuthFailure failure = refusal(authenticator().authenticate(PresentedCredentials.of(null, null, null)));
    assertEquals(AuthFailure.Reason.MISSING, failure.reason());
    assertEquals(401, failure.reason().httpStatus());
  }

  @Test
  void openModeLetsEveryRequestThrough() {
    Authenticator open = await(Authenticator.create(vertx, AuthConfig.open()));
    assertEquals(Grants.open(), await(open.authenticate(PresentedCredentials.of(null, null, null))));
    assertEquals(Grants.open(), await(open.authenticate(bearer("garbage"))));
  }
}
