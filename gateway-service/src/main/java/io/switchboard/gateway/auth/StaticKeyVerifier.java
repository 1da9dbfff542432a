package io.switchboard.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * StaticKeyVerifier verifies tokens with the keys fixed at start-up, the HS256 secret and the
 * RS256 or ES256 public key, through Vert.x's {@link JWTAuth}.
 *
 * <p>A token is checked against the key of its own {@code alg} only, so a token cannot pass an
 * HMAC check keyed with the public key.
 */
final class StaticKeyVerifier implements TokenVerifier {

  private final JWTAuth auth;

  private StaticKeyVerifier(JWTAuth auth) {
    this.auth = auth;
  }

  /** A verifier for the secret, the public key or both; either may be null, not both. */
  static StaticKeyVerifier create(Vertx vertx, String secret, PemKey publicKey) {
    JWTAuthOptions options = new JWTAuthOptions()
        // Expiry and not-before are checked by ClaimRules, the same for every verifier.
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
    if (secret != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
    }
    if (publicKey != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(publicKey.algorithm())
          .setBuffer(publicKey.pem()));
    }
    return new StaticKeyVerifier(JWTAuth.create(vertx, options));
  }

  @Override
  public Future<JsonObject> verify(String token) {
    try {
      return auth.authenticate(new TokenCredentials(token))
          .map(user -> user.attributes().getJsonObject("accessToken"));
    } catch (RuntimeException e) {
      // A token malformed in a way the library does not expect must still be just a refusal.
      return Future.failedFuture(e);
    }
  }
}
