package io.switchboard.gateway.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TokenMint signs HS256 tokens with {@code AUTH_JWT_SECRET}, carrying the claims the gateway reads:
 * for development, tests and backends that issue their own tokens.
 */
public final class TokenMint {

  /**
   * What a token grants.
   *
   * @param sub the user
   * @param ttl how long the token is valid
   * @param subscribe topic patterns the user may stream
   * @param publish topic patterns the user may publish to
   * @param rooms room patterns the user may join
   * @param admin whether the user may use the operator endpoints
   */
  public record Claims(String sub, Duration ttl, List<String> subscribe, List<String> publish,
      List<String> rooms, boolean admin) {

    public Claims {
      Objects.requireNonNull(sub);
      subscribe = Patterns.of(subscribe).patterns();
      publish = Patterns.of(publish).patterns();
      rooms = Patterns.of(rooms).patterns();
      if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("The lifetime must be from 1 to " + Integer.MAX_VALUE + " seconds");
      }
    }
  }

  private final JWTAuth auth;
  private final String issuer;
  private final String audience;

  /**
   * A mint for {@code secret}; {@code issuer} and {@code audience}, when not null, go into every
   * token, as {@code AUTH_JWT_ISSUER} and {@code AUTH_JWT_AUDIENCE} require.
   */
  public TokenMint(Vertx vertx, String secret, String issuer, String audience) {
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.issuer = issuer;
    this.audience = audience;
  }

  public String mint(Claims claims) {
    JsonObject payload = new JsonObject();
    putPatterns(payload, "subscribe", claims.subscribe());
    putPatterns(payload, "publish", claims.publish());
    putPatterns(payload, "rooms", claims.rooms());
    if (claims.admin()) {
      payload.put("admin", true);
    }
    JWTOptions options = new JWTOptions()
        .setAlgorithm("HS256")
        .setSubject(claims.sub())
        .setExpiresInSeconds((int) claims.ttl().toSeconds())
        .setIssuer(issuer);
    if (audience != null) {
      options.addAudience(audience);
    }
    return auth.generateToken(payload, options);
  }

  private static void putPatterns(JsonObject payload, String claim, List<String> patterns) {
    if (!patterns.isEmpty()) {
      payload.put(claim, new JsonArray(patterns));
    }
  }
}
