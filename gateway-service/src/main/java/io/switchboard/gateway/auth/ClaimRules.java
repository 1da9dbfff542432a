package io.switchboard.gateway.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * ClaimRules turns the claims of a token whose signature has been verified into {@link Grants},
 * or refuses them: every token, whatever key signed it, is held to the same rules here.
 *
 * <p>{@code sub} and {@code exp} are required; {@code iss} and {@code aud} must match when
 * configured; {@code subscribe}, {@code publish} and {@code rooms} are a string or an array of
 * strings; {@code admin} is a boolean.
 */
final class ClaimRules {

  /** How far a {@code nbf} may be ahead of this clock: the issuer's clock may run a little fast. */
  static final long CLOCK_SKEW_SECONDS = 5;

  private final String issuer;
  private final String audience;

  ClaimRules(String issuer, String audience) {
    this.issuer = issuer;
    this.audience = audience;
  }

  /** The grants of the claims at {@code now}, in epoch seconds; throws {@link AuthFailure}. */
  Grants grants(JsonObject claims, long now) {
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String subject) || subject.isBlank()) {
      throw AuthFailure.invalid("The token has no subject (sub)");
    }
    long exp = time(claims, "exp");
    if (exp <= now) {
      throw AuthFailure.invalid("The token has expired");
    }
    if (claims.containsKey("nbf") && time(claims, "nbf") > now + CLOCK_SKEW_SECONDS) {
      throw AuthFailure.invalid("The token is not valid yet (nbf)");
    }
    if (issuer != null && !issuer.equals(claims.getValue("iss"))) {
      throw AuthFailure.invalid("The token's issuer (iss) is not the expected one");
    }
    if (audience != null && !audiences(claims).contains(audience)) {
      throw AuthFailure.invalid("The token's audience (aud) does not include this service");
    }
    Object admin = claims.getValue("admin");
    if (admin != null && !(admin instanceof Boolean)) {
      throw AuthFailure.invalid("The admin claim must be true or false");
    }
    Long iat = claims.getValue("iat") instanceof Number issued ? issued.longValue() : null;
    return Grants.user(subject, exp, patterns(claims, "subscribe"), patterns(claims, "publish"),
        patterns(claims, "rooms"), Boolean.TRUE.equals(admin), iat);
  }

  private static long time(JsonObject claims, String name) {
    if (claims.getValue(name) instanceof Number seconds) {
      return seconds.longValue();
    }
    throw AuthFailure.invalid("The token has no valid " + name + " claim (epoch seconds)");
  }

  private static List<Object> audiences(JsonObject claims) {
    Object aud = claims.getValue("aud");
    if (aud instanceof JsonArray list) {
      return list.getList();
    }
    return aud == null ? List.of() : List.of(aud);
  }

  /** A claim of patterns: absent allows nothing; a string is one pattern. */
  private static Patterns patterns(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    List<String> patterns = new ArrayList<>();
    if (value instanceof String single) {
      patterns.add(single);
    } else if (value instanceof JsonArray list) {
      for (Object item : list) {
        if (!(item instanceof String pattern)) {
          throw AuthFailure.invalid("The " + name + " claim must be a string or an array of strings");
        }
        patterns.add(pattern);
      }
    } else if (value != null) {
      throw AuthFailure.invalid("The " + name + " claim must be a string or an array of strings");
    }
    try {
      return Patterns.of(patterns);
    } catch (IllegalArgumentException e) {
      throw AuthFailure.invalid("The " + name + " claim holds a blank pattern");
    }
  }
}
