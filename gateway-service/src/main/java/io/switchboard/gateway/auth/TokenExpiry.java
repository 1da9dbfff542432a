package io.switchboard.gateway.auth;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * TokenExpiry tells a long-lived connection that its token is about to expire, and then that it
 * has: a WebSocket or stream outlives the request that was authenticated, but not its token.
 *
 * <p>The callbacks run on the context that started the watch, so start it on the connection's
 * event loop and {@link #cancel()} it when the connection closes. Grants that do not expire start
 * no timers.
 */
public final class TokenExpiry {

  private static final TokenExpiry NOTHING = new TokenExpiry(null, -1, -1);

  private final Vertx vertx;
  private final long warningTimer;
  private final long expiryTimer;

  private TokenExpiry(Vertx vertx, long warningTimer, long expiryTimer) {
    this.vertx = vertx;
    this.warningTimer = warningTimer;
    this.expiryTimer = expiryTimer;
  }

  /**
   * Calls {@code onWarning} {@code warning} before the grants expire (at once if less is left, not
   * at all if {@code warning} is zero), then {@code onExpired} when they do.
   */
  public static TokenExpiry watch(Vertx vertx, Grants grants, Duration warning, Runnable onWarning,
      Runnable onExpired) {
    if (!grants.expires()) {
      return NOTHING;
    }
    long now = System.currentTimeMillis();
    long untilExpiry = Math.max(1, grants.exp() * 1000 - now);
    long untilWarning = Math.max(1, untilExpiry - warning.toMillis());
    long warningTimer = warning.isZero() || untilWarning >= untilExpiry ? -1
        : vertx.setTimer(untilWarning, id -> onWarning.run());
    long expiryTimer = vertx.setTimer(untilExpiry, id -> onExpired.run());
    return new TokenExpiry(vertx, warningTimer, expiryTimer);
  }

  /** Stops both timers; call it when the connection closes. */
  public void cancel() {
    if (vertx != null) {
      vertx.cancelTimer(warningTimer);
      vertx.cancelTimer(expiryTimer);
    }
  }
}
