package io.switchboard.gateway;

import io.switchboard.gateway.auth.Permissions;
import io.switchboard.gateway.cluster.ClusterHandler;
import io.switchboard.gateway.control.OperatorHandler;
import io.switchboard.gateway.limits.ConnectionGate;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.node.GatewayFanout;
import io.switchboard.gateway.signaling.RoomsHandler;
import io.switchboard.gateway.topic.ClusteredTopicLog;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;

/**
 * AdminRoutes mounts one {@link GatewayServer}'s routes for admins and API keys: the room and
 * cluster API, and the operator controls. Every route requires an admin before it reads a body.
 */
final class AdminRoutes {

  /** The largest body of an operator control. */
  private static final int CONTROL_BODY_MAX = 4096;

  private final Vertx vertx;
  private final GatewayServer.Shared shared;
  private final ConnectionRegistry connections;
  private final ClusteredTopicLog topicLog;

  /** The routes of the server whose loop's {@code connections} and {@code topicLog} they use. */
  AdminRoutes(Vertx vertx, GatewayServer.Shared shared, ConnectionRegistry connections, ClusteredTopicLog topicLog) {
    this.vertx = vertx;
    this.shared = shared;
    this.connections = connections;
    this.topicLog = topicLog;
  }

  /**
   * Mounts the admin API, its stream admitted by {@code gate}, and the operator controls, which
   * log who asked by {@code clientAddresses}.
   */
  void mount(Router router, ConnectionGate gate, Function<RoutingContext, String> clientAddresses) {
    mountAdminApi(router, gate);
    mountOperatorControls(router, clientAddresses);
  }

  /** The room and cluster API, for admins and API keys. */
  private void mountAdminApi(Router router, ConnectionGate gate) {
    GatewayConfig config = shared.config();
    RoomsHandler rooms = new RoomsHandler(shared.signaling(), config.signaling());
    router.get("/api/rooms").handler(Permissions::requireAdmin).handler(rooms::list);
    router.get("/api/rooms/:room").handler(Permissions::requireAdmin).handler(rooms::get);
    ClusterHandler clusterView = new ClusterHandler(vertx, shared.board(), connections, config.stats());
    router.get("/api/cluster").handler(Permissions::requireAdmin).handler(clusterView::view);
    router.get("/api/cluster/stream").handler(Permissions::requireAdmin).handler(gate::stream)
        .handler(clusterView::stream);
  }

  /** The operator controls: topics deleted, users disconnected and revoked, peers kicked. */
  private void mountOperatorControls(Router router, Function<RoutingContext, String> clientAddresses) {
    GatewayConfig config = shared.config();
    OperatorHandler operator = new OperatorHandler(topicLog, shared.signaling(),
        new GatewayFanout(vertx.eventBus(), shared.cluster(), config.sse().requestTimeout()), shared.revocations(),
        config.auth().maxTokenLifetime(), clientAddresses, config.sse().requestTimeout());
    router.deleteWithRegex("/api/topics/(?<topic>[^/]*)").handler(Permissions::requireAdmin)
        .handler(operator::deleteTopic);
    router.post("/api/users/:sub/disconnect").handler(Permissions::requireAdmin).handler(operator::disconnectUser);
    // Two routes each: Vert.x wants a body handler first on its route, and no body is read before the check.
    router.post("/api/users/:sub/revoke").handler(Permissions::requireAdmin);
    router.post("/api/users/:sub/revoke").handler(BodyHandler.create(false).setBodyLimit(CONTROL_BODY_MAX))
        .handler(operator::revokeUser);
    router.post("/api/rooms/:room/kick").handler(Permissions::requireAdmin);
    router.post("/api/rooms/:room/kick").handler(BodyHandler.create(false).setBodyLimit(CONTROL_BODY_MAX))
        .handler(operator::kickPeer);
  }
}
