package io.switchboard.gateway.auth;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JwksKeys loads the issuer's signing keys from {@code AUTH_JWKS_URL} into an {@link OAuth2Auth}
 * when asked: at start-up, and whenever a token names a key it does not have.
 *
 * <p>One load runs at a time, and those made for unknown keys at most once per
 * {@code minInterval}, so tokens naming made-up keys cannot make the gateway hammer the issuer.
 * A failed load leaves the keys already loaded in use and logs a warning. The periodic refresh
 * between these is the provider's own (the response's {@code Cache-Control: max-age}, else its
 * configured age).
 *
 * <p>Loads may be asked for from any event loop, hence the lock; the HTTP fetch itself never blocks.
 */
final class JwksKeys {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
  private static final long FETCH_TIMEOUT_SECONDS = 15;

  private final OAuth2Auth provider;
  private final String url;
  private final long minIntervalNanos;
  private Future<Boolean> loading;
  private long lastLoadNanos;
  private boolean tried;
  private volatile boolean loaded;

  JwksKeys(OAuth2Auth provider, String urlForLogs, Duration minInterval) {
    this.provider = provider;
    this.url = urlForLogs;
    this.minIntervalNanos = minInterval.toNanos();
  }

  /** Whether some load has succeeded: until then no token can be verified. */
  boolean loaded() {
    return loaded;
  }

  /**
   * Loads the keys unless a load ran less than {@code minInterval} ago; joins the load under way
   * if there is one. Never fails: true when the keys were loaded, false when not.
   */
  Future<Boolean> load() {
    Promise<Boolean> done = Promise.promise();
    synchronized (this) {
      if (loading != null) {
        return loading;
      }
      long now = System.nanoTime();
      if (tried && now - lastLoadNanos < minIntervalNanos) {
        return Future.succeededFuture(false);
      }
      tried = true;
      lastLoadNanos = now;
      loading = done.future();
    }
    provider.jWKSet()
        .timeout(FETCH_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onComplete(result -> finish(result, done));
    return done.future();
  }

  private void finish(AsyncResult<Void> result, Promise<Boolean> done) {
    synchronized (this) {
      loading = null;
    }
    if (result.succeeded()) {
      loaded = true;
      LOG.info("Loaded the token signing keys from {}", url);
    } else if (loaded) {
      LOG.warn("Could not refresh the token signing keys from {}; the keys loaded before stay in use: {}",
          url, result.cause().toString());
    } else {
      LOG.warn("Could not load the token signing keys from {}; tokens are refused until they load: {}",
          url, result.cause().toString());
    }
    done.complete(result.succeeded());
  }
}
