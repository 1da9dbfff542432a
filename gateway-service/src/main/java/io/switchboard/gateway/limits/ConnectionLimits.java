package io.switchboard.gateway.limits;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConnectionLimits admits the WebSockets and streams of one gateway node under the per-address
 * limit ({@code LIMIT_CONNECTIONS_PER_IP}, counted on this node, over all its event loops) and the
 * per-user limit ({@code LIMIT_CONNECTIONS_PER_USER}, counted across the cluster through
 * {@link UserConnections}). A limit of zero is off and costs nothing: no count, no cluster call.
 *
 * <p>Safe to call from any event loop; a refusal is logged through {@link LimitLog}.
 */
public final class ConnectionLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

  private final Vertx vertx;
  private final LimitsConfig config;
  private final UserConnections users;
  private final LimitLog limitLog;
  private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();

  public ConnectionLimits(Vertx vertx, LimitsConfig config, UserConnections users, LimitLog limitLog) {
    this.vertx = vertx;
    this.config = config;
    this.users = users;
    this.limitLog = limitLog;
  }

  /** Starts the cluster-wide count when a per-user limit is set. */
  public void start() {
    if (config.perUser() > 0) {
      users.start();
    }
  }

  public void stop() {
    if (config.perUser() > 0) {
      users.stop();
    }
  }

  /**
   * Admits a connection from {@code ip} of {@code user} (null when the gateway knows no user, as
   * in open mode). Completes on the caller's context, at once unless the user's count is asked of
   * the cluster.
   */
  public Future<Admission> admit(String ip, String user) {
    if (!takeIp(ip)) {
      limitLog.hit("connections-per-ip", LogFields.of(LogFields.CLIENT, ip), "refused a connection from {}: it holds {} WebSockets and streams",
          ip, config.perIp());
      return Future.succeededFuture(Admission.refused(ErrorCode.TOO_MANY_CONNECTIONS,
          "Too many connections from your address: at most " + config.perIp() + " per gateway"));
    }
    if (user == null || config.perUser() == 0) {
      return Future.succeededFuture(Admission.granted(() -> releaseIp(ip)));
    }
    return takeUser(user).map(counted -> {
      if (counted) {
        return Admission.granted(() -> {
          releaseIp(ip);
          users.release(user);
        });
      }
      releaseIp(ip);
      limitLog.hit("connections-per-user", LogFields.of(LogFields.USER, user, LogFields.CLIENT, ip), "refused a connection of user {} from {}: the user holds {} "
          + "WebSockets and streams across the cluster", user, ip, config.perUser());
      return Admission.refused(ErrorCode.TOO_MANY_CONNECTIONS,
          "Too many connections for your user: at most " + config.perUser());
    }).recover(err -> {
      releaseIp(ip);
      limitLog.hit("connections-per-user-unknown", LogFields.of(LogFields.USER, user, LogFields.CLIENT, ip),
          "refused a connection of user {} from {}: the "
          + "cluster's count of the user's connections did not answer: {}", user, ip, err.toString());
      return Future.succeededFuture(Admission.refused(ErrorCode.SERVICE_UNAVAILABLE,
          "Your connections cannot be counted now; retry later"));
    });
  }

  /** Whether any limit counts connections; when none does, there is nothing to admit. */
  public boolean counting() {
    return config.perIp() > 0 || config.perUser() > 0;
  }

  /** WebSockets and streams from {@code ip} now counted; for tests and statistics. */
  public int countOf(String ip) {
    return perIp.getOrDefault(ip, 0);
  }

  private boolean takeIp(String ip) {
    int limit = config.perIp();
    if (limit == 0 || ip == null) {
      return true;
    }
    boolean[] taken = new boolean[1];
    perIp.compute(ip, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= limit) {
        return count;
      }
      taken[0] = true;
      return now + 1;
    });
    return taken[0];
  }

  private void releaseIp(String ip) {
    if (config.perIp() > 0 && ip != null) {
      perIp.computeIfPresent(ip, (key, count) -> count <= 1 ? null : count - 1);
    }
  }

  /**
   * Asks the cluster to count the user's connection, failing after
   * {@code LIMIT_USER_CHECK_TIMEOUT_MS}; a count that lands after that is given back at once.
   */
  private Future<Boolean> takeUser(String user) {
    Promise<Boolean> answer = Promise.promise();
    long timer = vertx.setTimer(config.userCheckTimeout().toMillis(), id -> answer.tryFail(
        "no answer within " + config.userCheckTimeout().toMillis() + " ms"));
    users.acquire(user, config.perUser()).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        answer.tryFail(ar.cause());
      } else if (!answer.tryComplete(ar.result()) && ar.result()) {
        LOG.atDebug().addKeyValue(LogFields.USER, user).log("A count of user {} that came too late is given back", user);
        users.release(user);
      }
    });
    return answer.future();
  }
}
