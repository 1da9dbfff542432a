package io.switchboard.gateway.auth;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;

/**
 * SocketAuth is what keeps a node's WebSockets within their tokens: the node's
 * {@link Authenticator}, which checks the tokens clients send to renew their access, and how long
 * before a token expires its connection is warned ({@code AUTH_EXPIRY_WARNING_SECONDS}). One serves
 * every event loop of a node; each WebSocket gets a {@link SocketAccess} of its own from it.
 *
 * @param authenticator checks refresh tokens
 * @param expiryWarning how long before {@code exp} a connection gets {@code token-expiring}
 */
public record SocketAuth(Authenticator authenticator, Duration expiryWarning) {

  private static final SocketAuth OPEN = new SocketAuth(Authenticator.open(), Duration.ofSeconds(60));

  public SocketAuth {
    Objects.requireNonNull(authenticator);
    Objects.requireNonNull(expiryWarning);
  }

  /** For {@code AUTH_MODE=open}, and wherever no authenticator is wired: nothing expires. */
  public static SocketAuth open() {
    return OPEN;
  }

  /** The node's authenticator with the warning {@code config} asks for. */
  public static SocketAuth of(Authenticator authenticator, AuthConfig config) {
    return new SocketAuth(authenticator, config.expiryWarning());
  }

  /** The access of a WebSocket whose upgrade request was granted {@code grants}. */
  public SocketAccess access(Vertx vertx, Grants grants) {
    return new SocketAccess(vertx, this, grants);
  }
}
