package io.switchboard.gateway.auth;

import static io.switchboard.gateway.auth.TestKeys.await;
import static io.switchboard.gateway.auth.TestKeys.bearer;
import static io.switchboard.gateway.auth.TestKeys.claims;
import static io.switchboard.gateway.auth.TestKeys.refusal;
import static io.switchboard.gateway.auth.TestKeys.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.config.Env;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens verified with AUTH_JWT_PUBLIC_KEY, RS256 or ES256 as the key's type says. */
class PublicKeyTokenTest {

  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private Authenticator authenticator(KeyPair keys) throws Exception {
    Path pem = Files.writeString(dir.resolve("public.pem"), TestKeys.publicPem(keys));
    return await(Authenticator.create(vertx, AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_PUBLIC_KEY", pem.toString())))));
  }

  @Test
  void anRs256TokenSignedWithThePrivateKeyIsAccepted() throws Exception {
    KeyPair keys = TestKeys.rsa();
    String token = sign(vertx, "RS256", TestKeys.privatePem(keys), null, claims("alice", HOUR));
    assertEquals("alice", await(authenticator(keys).authenticate(bearer(token))).sub());
  }

  @Test
  void anEs256TokenSignedWithThePrivateKeyIsAccepted() throws Exception {
    KeyPair keys = TestKeys.ec("secp256r1");
    String token = sign(vertx, "ES256", TestKeys.privatePem(keys), null, claims("alice", HOUR));
    assertEquals("alice", await(authenticator(keys).authenticate(bearer(token))).sub());
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    String token = sign(vertx, "RS256", TestKeys.privatePem(TestKeys.rsa()), null, claims("alice", HOUR));
    assertEquals(AuthFailure.Reason.INVALID,
        refusal(authenticator(TestKeys.rsa()).authenticate(bearer(token))).reason());
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    KeyPair keys = TestKeys.ec("secp256r1");
    String token = sign(vertx, "ES256", TestKeys.privatePem(keys), null, claims("alice", Duration.ofSeconds(-1)));
    assertEquals("The token has expired", refusal(authenticator(keys).authenticate(bearer(token))).getMessage());
  }

  @Test
  void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    // The classic algorithm confusion: HS256 keyed with the public key's text the server holds.
    KeyPair keys = TestKeys.rsa();
    String forged = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
            new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestKeys.publicPem(keys))))
        .generateToken(claims("mallory", HOUR), new JWTOptions());
    assertEquals(AuthFailure.Reason.INVALID, refusal(authenticator(keys).authenticate(bearer(forged))).reason());
  }

  @Test
  void theSecretAndThePublicKeyMayBothBeConfigured() throws Exception {
    KeyPair keys = TestKeys.rsa();
    Path pem = Files.writeString(dir.resolve("public.pem"), TestKeys.publicPem(keys));
    Authenticator authenticator = await(Authenticator.create(vertx, AuthConfig.from(new Env(Map.of(
        "AUTH_MODE", "jwt", "AUTH_JWT_PUBLIC_KEY", pem.toString(), "AUTH_JWT_SECRET", TestKeys.SECRET)))));
    JsonObject claims = claims("alice", HOUR);
    String rs = sign(vertx, "RS256", TestKeys.privatePem(keys), null, claims.copy());
    String hs = TestKeys.hs256(vertx, TestKeys.SECRET, claims.copy());
    assertEquals("alice", await(authenticator.authenticate(bearer(rs))).sub());
    assertEquals("alice", await(authenticator.authenticate(bearer(hs))).sub());
  }
}
