package io.switchboard.gateway.topicsocket;

import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.presence.TopicPresence;
import io.switchboard.gateway.topic.FeedCounts;
import io.switchboard.gateway.topic.FeedLimits;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.topic.QueuedBytes;
import io.switchboard.gateway.topic.TopicLog;
import io.switchboard.gateway.transport.WebSocketUpgrade;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Function;

/**
 * TopicSocketRoutes serves topics over WebSocket, {@code GET /ws/topics}, on one of the gateway's
 * event loops: the same topics, ids and history as the SSE streams, over the loop's
 * {@link TopicLog}, subscribed, published and resumed over one connection.
 */
public final class TopicSocketRoutes {

  private final Vertx vertx;
  private final GatewayConfig config;
  private final TopicLog log;
  private final TopicSocketHub hub;
  private final ConnectionRegistry connections;
  private final PublishBudget publishes;
  private final SocketAuth socketAuth;
  private final Function<RoutingContext, String> clientAddresses;
  private final TopicPresence presence;

  /**
   * Routes of one event loop; {@code counts}, {@code queued}, {@code delivered} and {@code publishes}
   * are the node's, {@code log} the loop's, shared with the SSE streams; {@code clientAddresses}
   * gives a request's client address, who creates topics in open mode; {@code presence} is the
   * node's.
   */
  public TopicSocketRoutes(Vertx vertx, GatewayConfig config, TopicLog log, ConnectionRegistry connections,
      FeedCounts counts, QueuedBytes queued, RateMeter delivered, PublishBudget publishes, SocketAuth socketAuth,
      Function<RoutingContext, String> clientAddresses, TopicPresence presence) {
    this.vertx = vertx;
    this.config = config;
    this.log = log;
    this.connections = connections;
    this.publishes = publishes;
    this.socketAuth = socketAuth;
    this.clientAddresses = clientAddresses;
    this.presence = presence;
    this.hub = new TopicSocketHub(vertx, log,
        new FeedLimits(config.sse().clientQueueMax(), config.sse().gapWait()), config.sse().heartbeat(), counts,
        queued, delivered, presence);
  }

  /** Starts the loop's hub: its checks of quiet topics. */
  public void start() {
    hub.start();
  }

  /** Mounts {@code /ws/topics} behind {@code admit}, which counts a WebSocket under the connection limits. */
  public void mount(Router router, Handler<RoutingContext> admit) {
    router.get("/ws/topics").handler(admit).handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    Grants grants = RequestGrants.of(ctx);
    String address = clientAddresses.apply(ctx);
    WebSocketUpgrade.accept(ctx, config.wsCloseLinger(), ws -> {
      SocketAccess access = socketAuth.access(vertx, grants);
      if (!connections.add(ws, ctx.request().connection(), access::grants)) {
        return;
      }
      String connectionId = UUID.randomUUID().toString();
      TopicSession session = new TopicSession(ws, connectionId, config.topicSockets(), access,
          () -> connections.remove(ws));
      SocketSubscriptions subscriptions = new SocketSubscriptions(vertx, hub, log, session.out(),
          access, config.topicSockets().maxSubscriptions(),
          new SocketPresence(presence, hub, session.out(), access, connectionId));
      SocketPublishes publisher = new SocketPublishes(log, session.out(), access, publishes,
          config.sse().maxBodyBytes(), config.sse().requestTimeout(), () -> address, session.flow(),
          hub::publishEphemeral);
      session.start(subscriptions, publisher, ctx.request().connection());
    });
  }
}
