package io.switchboard.gateway.http;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.cluster.BusProtocol;
import io.switchboard.gateway.transport.JsonResponses;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.ConnectionRegistry;
import io.switchboard.gateway.transport.BusErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ReadinessHandler answers {@code GET /ready}: 200 when this node is in the cluster, its member list
 * has been unchanged for {@code READY_STABLE_MS}, no seed address points at a member outside it (a
 * split), the cluster has a data member, and as many as {@code CLUSTER_MIN_DATA_MEMBERS} (below
 * it publishes and joins are refused), and every backend service answers a probe; otherwise 503
 * with what is missing.
 */
public final class ReadinessHandler implements Handler<RoutingContext> {

  private final ClusterView cluster;
  private final EventBus bus;
  private final ConnectionRegistry connections;
  private final Duration timeout;
  private final Duration stable;

  public ReadinessHandler(ClusterView cluster, EventBus bus, ConnectionRegistry connections,
      Duration timeout, Duration stable) {
    this.cluster = cluster;
    this.bus = bus;
    this.connections = connections;
    this.timeout = timeout;
    this.stable = stable;
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<Future<JsonObject>> probes = new ArrayList<>();
    for (ServiceRole role : ServiceRole.backends()) {
      probes.add(probe(role));
    }
    Future.join(probes).onComplete(done -> answer(ctx, probes));
  }

  private void answer(RoutingContext ctx, List<Future<JsonObject>> probes) {
    JsonObject clusterStatus = clusterStatus();
    JsonArray missing = new JsonArray();
    if (!clusterStatus.getBoolean("joined") || !clusterStatus.getBoolean("stable")
        || !clusterStatus.getJsonArray("unmerged").isEmpty()) {
      missing.add("cluster");
    }
    if (clusterStatus.getInteger("dataMembers") < Math.max(1, cluster.minDataMembers())) {
      missing.add("data-members");
    }
    if (connections.closing()) {
      missing.add("gateway");
    }
    JsonObject services = new JsonObject();
    ServiceRole[] roles = ServiceRole.backends();
    for (int i = 0; i < roles.length; i++) {
      JsonObject status = probes.get(i).result();
      services.put(roles[i].id(), status);
      if (!status.getBoolean("live")) {
        missing.add(roles[i].id());
      }
    }
    boolean ready = missing.isEmpty();
    JsonResponses.json(ctx.response(), ready ? 200 : 503, new JsonObject()
        .put("status", ready ? "ready" : "not-ready")
        .put("node", cluster.nodeId())
        .put("cluster", clusterStatus)
        .put("services", services)
        .put("missing", missing));
  }

  private JsonObject clusterStatus() {
    long stableFor = cluster.stableForMillis();
    return new JsonObject()
        .put("name", cluster.clusterName())
        .put("joined", cluster.joined())
        .put("protocol", BusProtocol.VERSION)
        .put("members", cluster.memberCount())
        .put("dataMembers", cluster.dataMemberCount())
        .put("minDataMembers", cluster.minDataMembers())
        .put("stable", stableFor >= stable.toMillis())
        .put("stableForMs", Math.min(stableFor, Long.MAX_VALUE / 2))
        .put("unmerged", new JsonArray(List.copyOf(cluster.unmergedSeeds())));
  }

  private Future<JsonObject> probe(ServiceRole role) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return bus.<JsonObject>request(Addresses.probe(role), null, options)
        .map(reply -> new JsonObject().put("live", true).put("node", reply.body().getString("node")))
        .otherwise(err -> {
          ErrorCode code = BusErrors.code(err);
          return new JsonObject().put("live", false).put("reason", code.id())
              .put("message", BusErrors.message(err, role.id(), timeout));
        });
  }
}
