package io.switchboard.gateway;

import io.switchboard.common.Addresses;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.ConnectionCounts;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.stats.StatsPublisher;
import io.switchboard.gateway.auth.AuthConfig;
import io.switchboard.gateway.auth.RevocationStore;
import io.switchboard.gateway.auth.Revocations;
import io.switchboard.gateway.control.GatewayControl;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.switchboard.gateway.auth.Authenticator;
import io.switchboard.gateway.cluster.ClusterBoard;
import io.switchboard.gateway.cluster.GatewayMeters;
import io.switchboard.gateway.cluster.GatewayMetrics;
import io.switchboard.gateway.cluster.GatewayStats;
import io.switchboard.gateway.limits.ConnectionLimits;
import io.switchboard.gateway.limits.OpenFiles;
import io.switchboard.gateway.limits.TrustedProxies;
import io.switchboard.gateway.signaling.SignalingNode;
import io.switchboard.gateway.presence.TopicPresence;
import io.switchboard.gateway.topic.FeedCounts;
import io.switchboard.gateway.topicsocket.PresenceBus;
import io.switchboard.gateway.topic.PublishBudget;
import io.switchboard.gateway.sse.StreamCounts;
import io.switchboard.gateway.topic.QueuedBytes;
import io.switchboard.gateway.sse.SubscribedTopics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GatewayVerticle is the only browser-facing part of Switchboard: through its {@link GatewayServer}s
 * it serves the HTTP routes and the WebSocket endpoints, and forwards work to the services over the
 * clustered event bus.
 *
 * <p>It holds what is the node's: the signaling hub, the cluster view, the statistics and the
 * authenticator, on its own event loop, the gateway's home. The connections are served by
 * {@code GATEWAY_EVENT_LOOPS} {@link GatewayServer}s, one per event loop, that it deploys once the
 * node's parts are up and that Vert.x undeploys before it stops.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /**
   * Servers listening on one negative port share one ephemeral port (a Vert.x convention); each
   * gateway with {@code HTTP_PORT=0} takes a key of its own.
   */
  private static final AtomicInteger EPHEMERAL_KEYS = new AtomicInteger();
  /** How often revocations whose time is over are forgotten. */
  private static final long REVOCATION_SWEEP_MS = 60_000;

  private final GatewayConfig config;
  private final ClusterView cluster;
  private final ConnectionCounts connections = new ConnectionCounts();
  private final StreamCounts streams = new StreamCounts();
  private final FeedCounts topicSocketFeeds = new FeedCounts();
  private TopicPresence topicPresence;
  private final QueuedBytes queued;
  private final List<GatewayServer> servers = new CopyOnWriteArrayList<>();
  private ClusterBoard board;
  private StatsPublisher stats;
  private SubscribedTopics subscribedTopics;
  private Runnable stopWatchingNodes = () -> { };
  private Runnable stopResolvingProxies = () -> { };
  private ConnectionLimits admissions;
  private Authenticator authenticator = Authenticator.open();
  private final Revocations revocations = new Revocations();
  private RevocationStore revocationStore;
  private long revocationSweep = -1;

  public GatewayVerticle(GatewayConfig config, ClusterView cluster) {
    this.config = config;
    this.cluster = cluster;
    this.queued = new QueuedBytes(config.sse().queuedMaxBytes());
  }

  @Override
  public Future<?> start() {
    SignalingNode signaling = new SignalingNode(vertx, cluster.nodeId(), config.signaling());
    GatewayMeters meters = new GatewayMeters(signaling.frames());
    GatewayMetrics.bind(cluster.meterRegistry(), meters, connections, signaling.frameTypes());
    board = new ClusterBoard(vertx.eventBus(), cluster, config.stats());
    stats = StatsPublisher.start(vertx, ServiceRole.GATEWAY, cluster.nodeId(), config.stats().interval(),
        new GatewayStats(connections, this::connectionsPerEventLoop, meters, new GatewayStats.Listed(
            signaling::membersByRoom, config.stats().maxRooms(),
            () -> GatewayStats.summed(streams.subscribersByExistingTopic(),
                topicSocketFeeds.subscribersByExistingTopic()), config.stats().maxTopics())));
    // Room-mates on a gateway node that dies are announced gone as soon as the cluster drops it.
    stopWatchingNodes = cluster.watchMembers(signaling::nodeLost, signaling::nodeJoined);
    int listenPort = config.httpPort() == 0 ? -EPHEMERAL_KEYS.incrementAndGet() : config.httpPort();
    warnIfOpen();
    GatewayServer.Limits limits = limits();
    subscribedTopics = new SubscribedTopics(vertx, config.sse().topicTtl(),
        List.of(streams.feeds(), topicSocketFeeds));
    subscribedTopics.start();
    // The connections of a gateway node that dies leave the topics they were present on as soon as
    // the cluster drops it; whichever gateway sweeps them tells every subscriber. This node's own
    // connections are written back when the cluster state lost them.
    topicPresence = cluster.topicPresence();
    topicPresence.start(new PresenceBus(vertx));
    PublishBudget publishes = new PublishBudget(config.sse().publishMaxInFlightBytes());
    revocationStore = cluster.revocationStore();
    revocationSweep = vertx.setPeriodic(REVOCATION_SWEEP_MS, id -> revocations.sweep());
    MessageConsumer<JsonObject> control = vertx.eventBus().consumer(Addresses.gatewayControl(cluster.nodeId()),
        new GatewayControl(this::disconnect, revocations, signaling));
    return Future.all(board.start(), Authenticator.create(vertx, config.auth(), revocations),
            revocationStore.start(revocations), control.completion())
        .compose(started -> {
          authenticator = started.resultAt(1);
          GatewayServer.Shared shared = new GatewayServer.Shared(config, listenPort, cluster, signaling, board,
              meters, connections, streams, topicSocketFeeds, topicPresence, queued, authenticator, limits,
              publishes, revocationStore);
          return vertx.deployVerticle(() -> {
            GatewayServer server = new GatewayServer(shared);
            servers.add(server);
            return server;
          }, new DeploymentOptions().setInstances(config.eventLoops()));
        })
        .onSuccess(id -> LOG.info("Gateway on node {} listening on {}:{} on {} event loops",
            cluster.nodeId(), config.httpHost(), actualPort(), config.eventLoops()));
  }

  private void warnIfOpen() {
    if (config.auth().mode() == AuthConfig.Mode.OPEN) {
      LOG.warn("AUTH_MODE=open: every client may do everything; set AUTH_MODE=jwt with "
          + "AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL to require tokens");
    }
  }

  /** The node's connection limits, started; stopped with the node. */
  private GatewayServer.Limits limits() {
    LimitLog log = new LimitLog(LoggerFactory.getLogger(ConnectionLimits.class));
    admissions = new ConnectionLimits(vertx, config.limits(), cluster.userConnections(), log);
    admissions.start();
    TrustedProxies proxies = TrustedProxies.of(config.limits().trustedProxies());
    stopResolvingProxies = proxies.watchNames(vertx, config.limits().trustedProxiesRefresh());
    LOG.info("Gateway on node {} holds at most {} connections (open-file limit {}), {} per address and {} "
        + "per user (0: no limit); trusted proxies {}", cluster.nodeId(), config.limits().total(),
        OpenFiles.limit(), config.limits().perIp(), config.limits().perUser(), config.limits().trustedProxies());
    return new GatewayServer.Limits(admissions, proxies, new AtomicInteger(), log);
  }

  /** Closes the connections of {@code user} issued before {@code issuedBefore} on every event loop; how many. */
  private Future<Integer> disconnect(String user, long issuedBefore) {
    List<Future<Integer>> loops = servers.stream().map(server -> server.disconnect(user, issuedBefore)).toList();
    return Future.all(loops).map(all -> loops.stream().mapToInt(Future::result).sum());
  }

  /** The node's connection limits, for tests. */
  public ConnectionLimits connectionLimits() {
    return admissions;
  }

  /** Open WebSockets and streams on each of the gateway's event loops. */
  public List<Integer> connectionsPerEventLoop() {
    return servers.stream()
        .map(server -> server.connections().webSocketCount() + server.connections().streamCount())
        .toList();
  }

  /** Open SSE streams on this gateway node, per topic, for metrics and tests. */
  public StreamCounts sseStreams() {
    return streams;
  }

  /** The port actually bound, useful when {@code HTTP_PORT} is 0. */
  public int actualPort() {
    return servers.get(0).actualPort();
  }

  /** Stops what is the node's; the servers, and with them every connection, are closed already. */
  @Override
  public Future<?> stop() {
    LOG.info("Gateway on node {} stopped", cluster.nodeId());
    stats.stop();
    subscribedTopics.stop();
    topicPresence.stop();
    stopWatchingNodes.run();
    stopResolvingProxies.run();
    admissions.stop();
    authenticator.close();
    vertx.cancelTimer(revocationSweep);
    return Future.join(revocationStore.stop(), board.stop());
  }
}
