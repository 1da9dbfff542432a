package io.switchboard.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * JwksVerifier verifies tokens with the signing keys the issuer publishes at
 * {@code AUTH_JWKS_URL}, through Vert.x's {@link OAuth2Auth}, which caches them and refreshes them
 * periodically.
 *
 * <p>A token naming a key not in the cache makes it load the keys again, within
 * {@link JwksKeys}'s limit, and is checked once more: a key the issuer has just rotated in is
 * accepted without a restart. The provider's {@code missingKeyHandler} is not used: it is told
 * after the token has been refused, while this way the token that found the new key is accepted.
 */
final class JwksVerifier implements TokenVerifier {

  /** Used when the JWKS response gives no {@code Cache-Control: max-age}. */
  static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
  /** How often a token naming an unknown key may make the keys load again. */
  static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(10);
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;
  private static final int IDLE_TIMEOUT_SECONDS = 30;

  private final OAuth2Auth provider;
  private final JwksKeys keys;

  private JwksVerifier(OAuth2Auth provider, JwksKeys keys) {
    this.provider = provider;
    this.keys = keys;
  }

  /** A verifier whose first load of the keys has been tried; it starts even if that failed. */
  static Future<JwksVerifier> start(Vertx vertx, URI url, String urlForLogs, Duration minReload) {
    OAuth2Options options = new OAuth2Options()
        .setJwkPath(url.toString())
        // No OAuth2 flow is used, so none needs a client id: the provider only verifies tokens.
        .setSupportedGrantTypes(List.of())
        // An empty audience leaves aud to ClaimRules; leeway lets the issuer's clock run a little
        // fast, for the provider's own iat and nbf checks.
        .setJWTOptions(new JWTOptions().setAudience(List.of())
            .setLeeway((int) ClaimRules.CLOCK_SKEW_SECONDS))
        .setHttpClientOptions(new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
            .setIdleTimeout(IDLE_TIMEOUT_SECONDS));
    options.setJwkMaxAgeInSeconds(DEFAULT_REFRESH.toSeconds());
    OAuth2Auth provider = OAuth2Auth.create(vertx, options);
    JwksKeys keys = new JwksKeys(provider, urlForLogs, minReload);
    return keys.load().map(loaded -> new JwksVerifier(provider, keys));
  }

  @Override
  public Future<JsonObject> verify(String token) {
    return attempt(token).recover(failure -> {
      if (keys.loaded() && !(failure instanceof NoSuchKeyIdException)) {
        return Future.failedFuture(failure);
      }
      return keys.load().compose(reloaded -> {
        if (!keys.loaded()) {
          return Future.failedFuture(new AuthFailure(AuthFailure.Reason.UNAVAILABLE,
              "The token signing keys are not available yet; try again later"));
        }
        return reloaded ? attempt(token) : Future.failedFuture(failure);
      });
    });
  }

  private Future<JsonObject> attempt(String token) {
    try {
      return provider.authenticate(new TokenCredentials(token))
          .map(user -> user.attributes().getJsonObject("accessToken"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void close() {
    provider.close();
  }
}
