package io.switchboard.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * TokenVerifier checks a token's signature against one source of keys and yields its claims;
 * {@link ClaimRules} then decides what the claims grant.
 */
interface TokenVerifier {

  /** The token's claims once its signature verifies; a failed future otherwise. */
  Future<JsonObject> verify(String token);

  /** Releases timers and connections. */
  default void close() {
  }
}
