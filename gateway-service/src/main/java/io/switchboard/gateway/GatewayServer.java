package io.switchboard.gateway;

import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.ConnectionCounts;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.common.service.FatalErrors;
import io.switchboard.gateway.auth.AuthProbe;
import io.switchboard.gateway.auth.AuthenticationHandler;
import io.switchboard.gateway.auth.Authenticator;
import io.switchboard.gateway.auth.SocketAuth;
import io.switchboard.gateway.auth.RequestGrants;
import io.switchboard.gateway.auth.RevocationStore;
import io.switchboard.gateway.cluster.ClusterBoard;
import io.switchboard.gateway.cluster.GatewayMeters;
import io.switchboard.gateway.http.HealthHandler;
import io.switchboard.gateway.limits.ClientAddress;
import io.switchboard.gateway.limits.ConnectionGate;
import io.switchboard.gateway.limits.ConnectionLimits;
import io.switchboard.gateway.limits.TrustedProxies;
import io.switchboard.gateway.transport.AccessLog;
import io.switchboard.gateway.transport.HttpConnections;
import io.switchboard.gateway.transport.WebSocketPings;
import io.switchboard.common.log.LimitLog;
import io.switchboard.gateway.origin.OriginPolicy;
import io.switchboard.gateway.origin.Preflight;
import io.switchboard.gateway.transport.HeadRequests;
import io.switchboard.gateway.http.ReadinessHandler;
import io.switchboard.gateway.signaling.SignalingLoop;
import io.switchboard.gateway.signaling.SignalingNode;
import io.switchboard.gateway.signaling.SignalingSocketHandler;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.sse.SseRoutes;
import io.switchboard.gateway.sse.StreamCounts;
import io.switchboard.gateway.presence.TopicPresence;
import io.switchboard.gateway.topic.ClusteredTopicLog;
import io.switchboard.gateway.topic.FeedCounts;
import io.switchboard.gateway.topic.QueuedBytes;
import io.switchboard.gateway.topicsocket.TopicSocketRoutes;
import io.switchboard.gateway.echo.EchoForwarder;
import io.switchboard.gateway.echo.EchoSocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GatewayServer serves the gateway's routes on one event loop. {@link GatewayVerticle} deploys one
 * per {@code GATEWAY_EVENT_LOOPS}; they listen on the same port and Vert.x hands each new
 * connection to the next of them. Each has its own connections, SSE hub, echo batches and signaling
 * sessions; the signaling hub, the cluster view, the statistics and the authenticator are the
 * node's, shared by all.
 */
final class GatewayServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  /** The paths the static files may answer: any but the API's, the WebSockets' and the streams'. */
  private static final String STATIC_PATHS = "/(?!api/|ws/|sse/|sse$).*";

  /** The node-wide parts every server of a gateway shares. */
  record Shared(GatewayConfig config, int listenPort, ClusterView cluster, SignalingNode signaling,
      ClusterBoard board, GatewayMeters meters, ConnectionCounts connectionCounts, StreamCounts streamCounts,
      FeedCounts topicSocketFeeds, TopicPresence topicPresence, QueuedBytes queuedBytes,
      Authenticator authenticator, Limits limits, PublishBudget publishes, RevocationStore revocations) {
  }

  /** The node's connection limits: the counts, the trusted proxies and their log. */
  record Limits(ConnectionLimits admissions, TrustedProxies proxies, AtomicInteger open, LimitLog log) {
  }

  private final Shared shared;
  private final WebSocketPings pings;
  private final ConnectionRegistry connections;
  private final HttpConnections httpConnections;
  private HttpServer server;
  private ClusteredTopicLog topicLog;
  private SseRoutes sse;
  private TopicSocketRoutes topicSockets;

  GatewayServer(Shared shared) {
    this.shared = shared;
    this.pings = new WebSocketPings(shared.limits().log());
    this.connections = new ConnectionRegistry(shared.connectionCounts(), pings);
    var limits = shared.config().limits();
    this.httpConnections = new HttpConnections(shared.limits().open(), limits.total(),
        limits.headerTimeout(), limits.idleTimeout(), shared.limits().log());
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = shared.config();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(shared.listenPort())
        .setMaxWebSocketFrameSize(config.wsMaxMessageBytes())
        .setMaxWebSocketMessageSize(config.wsMaxMessageBytes())
        // Compression of small real-time messages costs more CPU, and a zlib context per
        // connection, than it saves in bandwidth; browsers negotiate it whenever it is offered.
        .setPerFrameWebSocketCompressionSupported(config.wsCompression())
        .setPerMessageWebSocketCompressionSupported(config.wsCompression())
        // Browsers never upgrade to cleartext HTTP/2; its handler would sit in every pipeline.
        .setHttp2ClearTextEnabled(false)
        // Every response is written on its connection's event loop, so a connection needs no
        // queue for writes from other threads: about 5 KiB less for each SSE stream.
        .setStrictThreadMode(true);
    // One log of the topics per loop, for the SSE streams and the WebSocket subscriptions alike.
    topicLog = new ClusteredTopicLog(vertx, config.sse().requestTimeout(), shared.cluster());
    // Who creates a topic in open mode: the client behind the trusted proxies.
    Function<RoutingContext, String> clientAddresses = ctx -> ClientAddress.of(ctx.request(), shared.limits().proxies());
    sse = new SseRoutes(vertx, config.sse(), connections, shared.streamCounts(), shared.queuedBytes(),
        shared.meters().sse(), shared.publishes(), clientAddresses, topicLog);
    topicSockets = new TopicSocketRoutes(vertx, config, topicLog, connections, shared.topicSocketFeeds(),
        shared.queuedBytes(), shared.meters().topics(), shared.publishes(),
        SocketAuth.of(shared.authenticator(), config.auth()), clientAddresses, shared.topicPresence());
    // This loop joins the node's signaling; the first to join registers the node's inbox.
    SignalingLoop signaling = shared.signaling().addLoop(context);
    server = vertx.createHttpServer(options)
        .connectionHandler(httpConnections::accepted)
        .requestHandler(router(sse, signaling))
        // Vert.x hands a connection's failures here, out of reach of its exception handler.
        .exceptionHandler(FatalErrors::haltOnOutOfMemory);
    pings.start(vertx, config.limits().pingInterval());
    sse.start();
    topicSockets.start();
    // The loop receives live events, and the node's signaling inbox is registered, cluster-wide
    // before the first client can connect.
    return Future.all(topicLog.start(), shared.signaling().ready()).compose(v -> listenHere());
  }

  /** Listens from this server's own context: Vert.x gives a server the event loop it listens from. */
  private Future<HttpServer> listenHere() {
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext(v -> server.listen().onComplete(listening));
    return listening.future();
  }

  /** This event loop's connections. */
  ConnectionCounts connections() {
    return connections.counts();
  }

  /** The port actually bound, useful when {@code HTTP_PORT} is 0. */
  int actualPort() {
    return server.actualPort();
  }

  private Router router(SseRoutes sse, SignalingLoop signaling) {
    GatewayConfig config = shared.config();
    Router router = Router.router(vertx);
    if (config.accessLog()) {
      // Before all: the requests the handlers below refuse are logged too.
      router.route().handler(new AccessLog(ctx -> ClientAddress.of(ctx.request(), shared.limits().proxies())));
    }
    // First: a disallowed Origin is refused before any route opens a socket or a stream, and a
    // preflight, which never carries credentials, is answered before authentication.
    router.route().handler(new OriginPolicy(config.origins()));
    // Then a connection beyond LIMIT_CONNECTIONS, whatever it asks, gets 503 server-full.
    router.route().handler(httpConnections::refuseOverLimit);
    router.options().handler(new Preflight());
    // Before every route: each one below finds the request's grants, or is public.
    router.route().handler(AuthenticationHandler.create(shared.authenticator(), config.auth().mode()));
    // After authentication: the user counted is the token's subject; open mode and API keys name none.
    ConnectionGate gate = new ConnectionGate(shared.limits().admissions(), shared.limits().proxies(),
        httpConnections, ctx -> RequestGrants.of(ctx).sub());
    router.get("/health").handler(new HealthHandler(shared.cluster()));
    // What the request's credentials allow; in jwt mode a request without them was refused above.
    router.get("/api/auth").handler(new AuthProbe());
    router.get("/ready").handler(
        new ReadinessHandler(shared.cluster(), vertx.eventBus(), connections, config.readyTimeout(),
            config.readyStable()));
    mountWebSockets(router, gate, signaling);
    sse.mount(router, gate::stream);
    topicSockets.mount(router, gate::webSocket);
    new AdminRoutes(vertx, shared, connections, topicLog)
        .mount(router, gate, ctx -> ClientAddress.of(ctx.request(), shared.limits().proxies()));
    // Pages and scripts: not under /api/, /ws/ or /sse, whose paths answer 404, or 405 where
    // another method is routed.
    router.getWithRegex(STATIC_PATHS).handler(HeadRequests.staticFileTypes(StaticHandler.DEFAULT_INDEX_PAGE))
        .handler(StaticHandler.create("webroot").setCachingEnabled(false).setDefaultContentEncoding("UTF-8"));
    // After every route: each that answers GET answers HEAD too.
    HeadRequests.answerWhereGet(router);
    RouterErrors.mount(router);
    return router;
  }

  /** The echo and signaling WebSockets, admitted by the gate before their upgrade. */
  private void mountWebSockets(Router router, ConnectionGate gate, SignalingLoop signaling) {
    GatewayConfig config = shared.config();
    // What renews the tokens of WebSockets, which outlive the requests that opened them.
    SocketAuth socketAuth = SocketAuth.of(shared.authenticator(), config.auth());
    router.get("/ws/echo").handler(gate::webSocket).handler(
        new EchoSocketHandler(new EchoForwarder(context, vertx.eventBus(), config.echo()), config,
            connections, shared.meters().echo(), socketAuth));
    router.get("/ws/signaling").handler(gate::webSocket).handler(new SignalingSocketHandler(signaling,
        config.signaling(), connections, config.wsCloseLinger(), socketAuth));
  }

  /** Closes this loop's connections of {@code user} issued before {@code issuedBefore}; how many. */
  Future<Integer> disconnect(String user, long issuedBefore) {
    Promise<Integer> closed = Promise.promise();
    context.runOnContext(v -> closed.complete(connections.disconnect(user, issuedBefore)));
    return closed.future();
  }

  /**
   * Shuts down gracefully: refuse new connections, close WebSockets with 1001 and end streams
   * with a {@code reconnect} event, give clients {@code SHUTDOWN_GRACE_MS} to acknowledge, then
   * close the server. The process's shutdown hook gets here by closing Vert.x, which undeploys.
   */
  @Override
  public Future<?> stop() {
    LOG.info("Gateway on node {} closing {} WebSockets and {} streams of one event loop",
        shared.cluster().nodeId(), connections.webSocketCount(), connections.streamCount());
    Promise<Void> graceElapsed = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, shared.config().shutdownGrace().toMillis()),
        id -> graceElapsed.tryComplete());
    connections.closeAll().onComplete(ar -> graceElapsed.tryComplete());
    topicLog.stop();
    return graceElapsed.future()
        .eventually(() -> {
          vertx.cancelTimer(timer);
          return server.close();
        });
  }
}
