package io.switchboard.gateway;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.stats.StatsPublisher;
import io.switchboard.gateway.cluster.ClusterBoard;
import io.switchboard.gateway.cluster.ClusterHandler;
import io.switchboard.gateway.cluster.GatewayMeters;
import io.switchboard.gateway.cluster.GatewayStats;
import io.switchboard.gateway.http.HealthHandler;
import io.switchboard.gateway.http.JsonResponses;
import io.switchboard.gateway.http.ReadinessHandler;
import io.switchboard.gateway.signaling.RoomsHandler;
import io.switchboard.gateway.signaling.SignalingConfig;
import io.switchboard.gateway.signaling.SignalingNode;
import io.switchboard.gateway.signaling.SignalingSocketHandler;
import io.switchboard.gateway.sse.SseRoutes;
import io.switchboard.gateway.ws.EchoForwarder;
import io.switchboard.gateway.ws.EchoSocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GatewayVerticle is the only browser-facing part of Switchboard: it wires the HTTP routes and the
 * WebSocket endpoints, and forwards work to the services over the clustered event bus.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayConfig config;
  private final ClusterView cluster;
  private final ConnectionRegistry connections = new ConnectionRegistry();
  private final SignalingConfig signalingConfig;
  private SignalingNode signaling;
  private HttpServer server;
  private SseRoutes sse;
  private GatewayMeters meters;
  private ClusterBoard board;
  private StatsPublisher stats;
  private Runnable stopWatchingNodes = () -> { };

  public GatewayVerticle(GatewayConfig config, ClusterView cluster) {
    this(config, cluster, SignalingConfig.defaults());
  }

  public GatewayVerticle(GatewayConfig config, ClusterView cluster, SignalingConfig signalingConfig) {
    this.config = config;
    this.cluster = cluster;
    this.signalingConfig = signalingConfig;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setMaxWebSocketFrameSize(config.wsMaxMessageBytes())
        .setMaxWebSocketMessageSize(config.wsMaxMessageBytes())
        // Compression of small real-time messages costs more CPU, and a zlib context per
        // connection, than it saves in bandwidth; browsers negotiate it whenever it is offered.
        .setPerFrameWebSocketCompressionSupported(config.wsCompression())
        .setPerMessageWebSocketCompressionSupported(config.wsCompression())
        // Browsers never upgrade to cleartext HTTP/2; its handler would sit in every pipeline.
        .setHttp2ClearTextEnabled(false);
    sse = new SseRoutes(vertx, config.sse(), connections);
    signaling = new SignalingNode(vertx, context, cluster.nodeId(), signalingConfig);
    meters = new GatewayMeters(sse.hub().delivered(), signaling.frames());
    board = new ClusterBoard(vertx.eventBus(), cluster, config.stats());
    stats = StatsPublisher.start(vertx, ServiceRole.GATEWAY, cluster.nodeId(), config.stats().interval(),
        new GatewayStats(connections, meters, signaling::membersByRoom, sse.hub()::subscribersByTopic));
    // Room-mates on a gateway node that dies are announced gone as soon as the cluster drops it.
    stopWatchingNodes = cluster.watchMembers(
        node -> context.runOnContext(v -> signaling.nodeLost(node)),
        node -> context.runOnContext(v -> signaling.nodeJoined(node)));
    server = vertx.createHttpServer(options).requestHandler(router());
    // Node inboxes are registered cluster-wide before the first client can connect.
    return Future.all(sse.start(), signaling.start(), board.start())
        .compose(v -> server.listen())
        .onSuccess(s -> LOG.info("Gateway on node {} listening on {}:{}",
            cluster.nodeId(), config.httpHost(), s.actualPort()));
  }

  /** This gateway's SSE streams, for metrics and tests. */
  public SseRoutes sse() {
    return sse;
  }

  /** The port actually bound, useful when {@code HTTP_PORT} is 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/health").handler(new HealthHandler(cluster));
    router.get("/ready").handler(
        new ReadinessHandler(cluster, vertx.eventBus(), connections, config.readyTimeout()));
    router.get("/ws/echo").handler(
        new EchoSocketHandler(new EchoForwarder(context, vertx.eventBus(), config), config,
            connections, meters.echo()));
    sse.mount(router);
    router.get("/ws/signaling").handler(new SignalingSocketHandler(signaling, signalingConfig, connections,
        config.wsCloseLinger()));
    RoomsHandler rooms = new RoomsHandler(vertx.eventBus(), signalingConfig);
    router.get("/api/rooms").handler(rooms::list);
    router.get("/api/rooms/:room").handler(rooms::get);
    ClusterHandler clusterView = new ClusterHandler(vertx, board, connections, config.stats());
    router.get("/api/cluster").handler(clusterView::view);
    router.get("/api/cluster/stream").handler(clusterView::stream);
    router.get().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.errorHandler(404, ctx -> error(ctx, ErrorCode.NOT_FOUND, "No such resource: " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED,
        "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(500, ctx -> {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      error(ctx, ErrorCode.INTERNAL, "Internal error");
    });
    return router;
  }

  private static void error(RoutingContext ctx, ErrorCode code, String message) {
    if (!ctx.response().headWritten()) {
      JsonResponses.error(ctx.response(), code, message);
    }
  }

  /**
   * Shuts down gracefully: refuse new connections, close WebSockets with 1001 and end streams,
   * give clients {@code SHUTDOWN_GRACE_MS} to acknowledge, then close the server.
   */
  @Override
  public Future<?> stop() {
    LOG.info("Gateway on node {} closing {} WebSockets and {} streams", cluster.nodeId(),
        connections.webSocketCount(), connections.streamCount());
    stats.stop();
    stopWatchingNodes.run();
    Promise<Void> graceElapsed = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, config.shutdownGrace().toMillis()),
        id -> graceElapsed.tryComplete());
    Future<Void> closed = connections.closeAll();
    closed.onComplete(ar -> graceElapsed.tryComplete());
    return graceElapsed.future()
        .eventually(() -> {
          vertx.cancelTimer(timer);
          return server.close();
        })
        .eventually(() -> board.stop());
  }
}
