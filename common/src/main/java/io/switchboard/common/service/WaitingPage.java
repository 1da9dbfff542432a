package io.switchboard.common.service;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceRole;
import io.switchboard.common.cluster.BusProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WaitingPage answers on a lite member's HTTP port while it waits for a data member to join the
 * cluster, so that probes see why it does not serve yet: {@code /health} 200, {@code /ready} 503
 * with {@code data-members} missing, in the bodies the serving node gives them, and any other path
 * 503 {@code service-unavailable}. It closes before the service itself listens on the port.
 */
public final class WaitingPage {

  private static final Logger LOG = LoggerFactory.getLogger(WaitingPage.class);
  private static final long TIMEOUT_SECONDS = 10;
  private static final String WHY = "Waiting for a data member (sse-service, signaling-service) to join the cluster";

  private final String service;
  private final String host;
  private final int port;
  private final int minDataMembers;
  private Vertx vertx;
  private boolean closed;

  /** {@code service} is the name {@code /health} gives; {@code minDataMembers} as configured. */
  public WaitingPage(String service, String host, int port, int minDataMembers) {
    this.service = service;
    this.host = host;
    this.port = port;
    this.minDataMembers = minDataMembers;
  }

  /** Starts answering for the member {@code hazelcast}; blocking, on a thread of its own. */
  public synchronized void open(HazelcastInstance hazelcast) {
    if (closed || vertx != null || port == 0) {
      return;
    }
    vertx = Vertx.vertx();
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(request -> answer(request, hazelcast));
      server.listen(port, host).toCompletionStage().toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("{} answers /health and /ready on {}:{} while it waits", service, host, port);
    } catch (Exception e) {
      LOG.warn("Could not open the waiting page on {}:{}: {}", host, port, e.toString());
    }
  }

  private void answer(HttpServerRequest request, HazelcastInstance hazelcast) {
    JsonObject body;
    int status;
    try {
      String node = hazelcast.getLocalEndpoint().getUuid().toString();
      switch (request.path()) {
        case "/health" -> {
          status = 200;
          body = new JsonObject().put("status", "up").put("service", service).put("node", node)
              .put("waiting", "data-members");
        }
        case "/ready" -> {
          status = 503;
          body = ready(node, hazelcast);
        }
        default -> {
          status = ErrorCode.SERVICE_UNAVAILABLE.httpStatus();
          body = ErrorCode.SERVICE_UNAVAILABLE.toJson(WHY);
          LOG.debug("{} is waiting for a data member; answered {} with 503", service, request.path());
        }
      }
    } catch (RuntimeException stopping) {
      // The member stopped while waiting (the process is shutting down): nothing serves here.
      status = 503;
      body = request.path().equals("/health")
          ? new JsonObject().put("status", "down").put("service", service).put("reason", "cluster-stopped")
              .put("message", "This node's Hazelcast member has stopped; the process must be restarted")
          : ErrorCode.SERVICE_UNAVAILABLE.toJson("This node is stopping");
    }
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** The body of a serving gateway's {@code /ready}, as it stands while no data member is there. */
  private JsonObject ready(String node, HazelcastInstance hazelcast) {
    Set<Member> members = hazelcast.getCluster().getMembers();
    JsonObject cluster = new JsonObject()
        .put("name", hazelcast.getConfig().getClusterName())
        .put("joined", true)
        .put("protocol", BusProtocol.VERSION)
        .put("members", members.size())
        .put("dataMembers", members.stream().filter(m -> !m.isLiteMember()).count())
        .put("minDataMembers", minDataMembers)
        .put("stable", false)
        .put("stableForMs", 0)
        .put("unmerged", new JsonArray());
    JsonObject services = new JsonObject();
    JsonArray missing = new JsonArray().add("cluster").add("data-members");
    for (ServiceRole role : ServiceRole.backends()) {
      services.put(role.id(), new JsonObject().put("live", false)
          .put("reason", ErrorCode.SERVICE_UNAVAILABLE.id())
          .put("message", "Not probed: this node waits for a data member before it serves"));
      missing.add(role.id());
    }
    return new JsonObject()
        .put("status", "not-ready")
        .put("service", service)
        .put("node", node)
        .put("cluster", cluster)
        .put("services", services)
        .put("missing", missing)
        .put("message", WHY);
  }

  /** Stops answering and frees the port; blocking. */
  public synchronized void close() {
    closed = true;
    if (vertx == null) {
      return;
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("The waiting page did not close cleanly: {}", e.toString());
    }
    vertx = null;
  }
}
