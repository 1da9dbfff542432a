package io.switchboard.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.LoggerFactory;

/**
 * Authenticator decides who sent a request and what it may do, before a route serves it or a
 * WebSocket is upgraded.
 *
 * <p>Its future succeeds with the request's {@link Grants}, or fails with an {@link AuthFailure}
 * saying why not. It completes on the caller's context. With the secret, the public key, an API key
 * or in open mode it is already complete when returned; with {@code AUTH_JWKS_URL} it may wait for
 * the issuer's keys to load, so a caller that will upgrade or read the request pauses it first.
 *
 * <p>One authenticator serves every event loop of a node.
 */
public interface Authenticator {

  /**
   * The authenticator {@code config} describes. With {@code AUTH_JWKS_URL} it completes once the
   * first load of the keys has been tried; it does not fail when the issuer is unreachable.
   */
  static Future<Authenticator> create(Vertx vertx, AuthConfig config) {
    return create(vertx, config, new Revocations());
  }

  /** The authenticator {@code config} describes, which refuses the tokens {@code revocations} names. */
  static Future<Authenticator> create(Vertx vertx, AuthConfig config, Revocations revocations) {
    if (config.mode() == AuthConfig.Mode.JWT) {
      return CheckingAuthenticator.create(vertx, config, revocations);
    }
    LoggerFactory.getLogger(Authenticator.class).info("Access control {}", config.describe());
    return Future.succeededFuture(open());
  }

  /** Lets every request through with {@link Grants#open()}. */
  static Authenticator open() {
    return credentials -> Future.succeededFuture(Grants.open());
  }

  /** The grants of the credentials, or an {@link AuthFailure}. */
  Future<Grants> authenticate(PresentedCredentials credentials);

  /**
   * The grants of the request's credentials, or an {@link AuthFailure}.
   *
   * @param queryTokenAllowed whether the {@code token} query parameter may carry the token, as
   *     {@link PresentedCredentials#queryTokenAllowed(HttpServerRequest)} says for most routes
   */
  default Future<Grants> authenticate(HttpServerRequest request, boolean queryTokenAllowed) {
    return authenticate(PresentedCredentials.from(request, queryTokenAllowed));
  }

  /** Stops refreshing keys. */
  default void close() {
  }
}
