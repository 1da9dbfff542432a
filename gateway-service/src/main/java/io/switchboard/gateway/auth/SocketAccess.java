package io.switchboard.gateway.auth;

import io.switchboard.common.CloseCode;
import io.switchboard.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SocketAccess is what the client of one WebSocket may do while the socket is open: the grants of
 * the request that opened it, until their token expires, renewed when the client sends a fresh
 * token for the same user. Every WebSocket endpoint follows the same protocol (docs/protocol.md,
 * "Token expiry on WebSockets"):
 *
 * <ul>
 *   <li>{@code AUTH_EXPIRY_WARNING_SECONDS} before {@code exp} the client gets
 *       {@code {"type":"token-expiring","exp":<seconds>}};
 *   <li>it may answer {@code {"type":"refresh","token":"<jwt>"}}, and gets
 *       {@code {"type":"refreshed","exp":<seconds>}}, or an error frame;
 *   <li>at {@code exp} without a refresh the socket closes with {@code 4001 token-expired}.
 * </ul>
 *
 * <p>Grants that do not expire (open mode, an API key) start no timer and have nothing to refresh.
 * Used on its socket's event loop only.
 */
public final class SocketAccess {

  private static final Logger LOG = LoggerFactory.getLogger(SocketAccess.class);

  /** The {@code type} of the message that renews a connection's token. */
  public static final String REFRESH = "refresh";
  /** The reason of the close at expiry; its status is {@link CloseCode#TOKEN_EXPIRED}. */
  public static final String EXPIRED_REASON = "token-expired";

  /** The socket the access belongs to, as far as expiry is concerned. */
  public interface Socket {

    /** Writes a frame the client did not ask for: {@code token-expiring}. */
    void send(JsonObject frame);

    /** Closes the socket with {@code status} and {@code reason}: the token expired. */
    void close(short status, String reason);
  }

  private final Vertx vertx;
  private final SocketAuth auth;
  private Grants grants;
  private Socket socket;
  private TokenExpiry expiry;
  private boolean stopped;

  SocketAccess(Vertx vertx, SocketAuth auth, Grants grants) {
    this.vertx = vertx;
    this.auth = auth;
    this.grants = Objects.requireNonNull(grants);
  }

  /** What the client may do now. */
  public Grants grants() {
    return grants;
  }

  /** The client's user ({@code sub}), the same for the socket's lifetime; null when it has none. */
  public String user() {
    return grants.sub();
  }

  /** Whether the client proved who it is, with a token or an API key; never in open mode. */
  public boolean authenticated() {
    return grants.kind() != Grants.Kind.OPEN;
  }

  /** Whether the grants expire, so that the client may refresh them: only a user's token does. */
  public boolean expires() {
    return grants.expires();
  }

  /** Starts the expiry timers, warning and then closing {@code socket}; none when nothing expires. */
  public void watch(Socket socket) {
    this.socket = socket;
    restartWatch();
  }

  /** The socket is gone: stops the timers, and a refresh in flight changes nothing. */
  public void stop() {
    stopped = true;
    if (expiry != null) {
      expiry.cancel();
    }
  }

  /**
   * Renews the grants with the token of a {@code refresh} message. Completes with the frame that
   * answers it: {@code refreshed}, or an error frame ({@code bad-request}, {@code unauthorized},
   * {@code forbidden} for another user's token, {@code service-unavailable}); never fails.
   */
  public Future<JsonObject> refresh(JsonObject message) {
    if (!grants.expires()) {
      return refused(ErrorCode.BAD_REQUEST, "Nothing to refresh: this connection's access does not expire");
    }
    if (!(message.getValue("token") instanceof String token) || token.isBlank()) {
      return refused(ErrorCode.BAD_REQUEST, "'refresh' needs a string field 'token'");
    }
    return auth.authenticator()
        .authenticate(new PresentedCredentials(PresentedCredentials.Type.BEARER, token.trim()))
        .map(this::renew)
        .otherwise(SocketAccess::refusal);
  }

  private JsonObject renew(Grants renewed) {
    if (renewed.kind() != Grants.Kind.USER || !renewed.sub().equals(grants.sub())) {
      return ErrorCode.FORBIDDEN.toFrame("The token is for another user than this connection's");
    }
    if (!stopped) {
      grants = renewed;
      restartWatch();
    }
    return new JsonObject().put("type", "refreshed").put("exp", renewed.exp());
  }

  private void restartWatch() {
    if (expiry != null) {
      expiry.cancel();
    }
    if (stopped || socket == null) {
      return;
    }
    Socket target = socket;
    long exp = grants.expires() ? grants.exp() : 0;
    expiry = TokenExpiry.watch(vertx, grants, auth.expiryWarning(),
        () -> target.send(new JsonObject().put("type", "token-expiring").put("exp", exp)),
        () -> target.close(CloseCode.TOKEN_EXPIRED.code(), EXPIRED_REASON));
  }

  private static JsonObject refusal(Throwable failure) {
    if (failure instanceof AuthFailure refused) {
      ErrorCode code = refused.reason() == AuthFailure.Reason.UNAVAILABLE
          ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.UNAUTHORIZED;
      return code.toFrame(refused.getMessage());
    }
    // Only the type: a message might quote the token.
    LOG.warn("A refresh token could not be checked: {}", failure.getClass().getName());
    return ErrorCode.INTERNAL.toFrame("The token could not be checked");
  }

  private static Future<JsonObject> refused(ErrorCode code, String message) {
    return Future.succeededFuture(code.toFrame(message));
  }
}
