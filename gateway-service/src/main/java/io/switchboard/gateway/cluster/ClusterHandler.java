package io.switchboard.gateway.cluster;

import io.switchboard.common.sse.EventTypes;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.TokenExpiry;
import io.switchboard.gateway.node.ClusterStatsConfig;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.transport.HeadRequests;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.SseReconnect;
import io.switchboard.gateway.transport.SseWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * ClusterHandler serves the cluster view: {@code GET /api/cluster} as JSON, and
 * {@code GET /api/cluster/stream} as a Server-Sent Events stream that pushes the view once per
 * interval, for dashboards.
 *
 * <p>A dashboard that reads slowly misses views rather than queueing them: a view is skipped while
 * the connection's write queue is full, so memory stays bounded whatever the client does.
 *
 * <p>Both are for operators, which the router checks first; a stream opened with a token ends with a
 * {@code token-expired} event when the token expires, and every stream ends with a {@code reconnect}
 * event when the gateway shuts down.
 */
public final class ClusterHandler {

  /** The SSE event type of a pushed view. */
  public static final String EVENT = "cluster";

  private final Vertx vertx;
  private final ClusterBoard board;
  private final ConnectionRegistry connections;
  private final ClusterStatsConfig config;

  public ClusterHandler(Vertx vertx, ClusterBoard board, ConnectionRegistry connections,
      ClusterStatsConfig config) {
    this.vertx = vertx;
    this.board = board;
    this.connections = connections;
    this.config = config;
  }

  public void view(RoutingContext ctx) {
    JsonResponses.json(ctx.response(), 200, board.view());
  }

  public void stream(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (HeadRequests.isHead(ctx.request())) {
      SseWriter.head(response);
      return;
    }
    SseWriter.open(response);
    long[] timer = new long[1];
    Supplier<Future<?>> ender = ender(response, timer);
    if (!connections.addStream(ender)) {
      return;
    }
    response.write(SseWriter.comment("cluster view every " + config.interval().toMillis() + " ms"));
    push(response);
    timer[0] = vertx.setPeriodic(config.interval().toMillis(), id -> push(response));
    Grants grants = RequestGrants.of(ctx);
    TokenExpiry[] expiry = new TokenExpiry[1];
    // Run when the connection closes, or when the stream ends at expiry on a connection kept alive.
    Runnable release = () -> {
      vertx.cancelTimer(timer[0]);
      expiry[0].cancel();
      connections.remove(ender);
    };
    expiry[0] = TokenExpiry.watch(vertx, grants, Duration.ZERO, () -> { }, () -> {
      release.run();
      if (!response.closed() && !response.ended()) {
        response.write(SseWriter.event(null, EventTypes.TOKEN_EXPIRED,
            new JsonObject().put("exp", grants.exp()).encode()));
        response.end();
      }
    });
    response.closeHandler(v -> release.run());
  }

  /** Run on shutdown: stops the pushes and asks the dashboard to reconnect, to another gateway. */
  private Supplier<Future<?>> ender(HttpServerResponse response, long[] timer) {
    return () -> {
      vertx.cancelTimer(timer[0]);
      return response.ended() || response.closed() ? Future.succeededFuture()
          : response.end(SseReconnect.shutdown());
    };
  }

  private void push(HttpServerResponse response) {
    // An ended response throws on writeQueueFull and on writes.
    if (response.closed() || response.ended() || response.writeQueueFull()) {
      return;
    }
    JsonObject view = board.view();
    // Views carry no id: a dashboard that reconnects wants the current view, not missed ones.
    response.write(SseWriter.event(null, EVENT, view.encode()));
  }
}
