package io.switchboard.gateway.cluster;

import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.TokenExpiry;
import io.switchboard.gateway.node.ClusterStatsConfig;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.transport.HeadRequests;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.transport.SseWriter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * ClusterHandler serves the cluster view: {@code GET /api/cluster} as JSON, and
 * {@code GET /api/cluster/stream} as a Server-Sent Events stream that pushes the view once per
 * interval, for dashboards.
 *
 * <p>A dashboard that reads slowly misses views rather than queueing them: a view is skipped while
 * the connection's write queue is full, so memory stays bounded whatever the client does.
 *
 * <p>Both are for operators, which the router checks first; a stream opened with a token ends with a
 * {@code token-expired} event when the token expires, or with a {@code reconnect} event when an
 * operator disconnects its user ({@link ClusterStream}); every stream ends with a {@code reconnect}
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
    Grants grants = RequestGrants.of(ctx);
    ClusterStream stream = new ClusterStream(vertx, response, connections);
    if (!connections.addStream(stream.ender, grants, stream.disconnecter)) {
      return;
    }
    response.write(SseWriter.comment("cluster view every " + config.interval().toMillis() + " ms"));
    stream.start(config.interval().toMillis(), () -> push(response),
        TokenExpiry.watch(vertx, grants, Duration.ZERO, () -> { }, () -> stream.expire(grants.exp())));
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
