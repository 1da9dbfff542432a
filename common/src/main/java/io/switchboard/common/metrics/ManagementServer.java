package io.switchboard.common.metrics;

import io.switchboard.common.cluster.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ManagementServer is a process's port for operators and orchestrators ({@code MANAGEMENT_PORT}):
 * {@code GET /metrics} in the Prometheus text format, {@code GET /health} (the process runs) and
 * {@code GET /ready} (it is a member of a cluster that holds data, so it can serve). It asks for no
 * credentials: keep it on a private network (docs/security.md).
 *
 * <p>When the port is taken, the next free one is used, as {@code CLUSTER_PORT} does, so that
 * several processes share a host; the log says which.
 */
public final class ManagementServer {

  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  /** Ports tried after {@code MANAGEMENT_PORT} when it is taken. */
  static final int PORT_COUNT = 100;
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private ManagementServer() {
  }

  /** Serves {@code node}'s probes and {@code metrics}; completes with the server once it listens. */
  public static Future<HttpServer> start(String service, ClusterNode node, MetricsConfig config,
      ProcessMetrics metrics) {
    return listen(service, node, config, metrics, config.port()).onSuccess(server -> {
      if (server.actualPort() != config.port()) {
        LOG.info("Management port {} is taken on {}; serving /metrics, /health and /ready on port {}",
            config.port(), config.host(), server.actualPort());
      } else {
        LOG.info("Serving /metrics, /health and /ready on {}:{}", config.host(), server.actualPort());
      }
    });
  }

  private static Future<HttpServer> listen(String service, ClusterNode node, MetricsConfig config,
      ProcessMetrics metrics, int port) {
    HttpServer server = node.vertx().createHttpServer(new HttpServerOptions().setHost(config.host()))
        .requestHandler(request -> handle(service, node, metrics, request));
    return server.listen(port).recover(err -> {
      if (port + 1 >= config.port() + PORT_COUNT || port >= 65535) {
        return Future.failedFuture(new IllegalStateException("no free management port from " + config.port()
            + " to " + port + " on " + config.host() + ": " + err.getMessage()));
      }
      return listen(service, node, config, metrics, port + 1);
    });
  }

  private static void handle(String service, ClusterNode node, ProcessMetrics metrics, HttpServerRequest request) {
    String path = request.path();
    switch (path) {
      case "/metrics" -> {
        if (!metrics.enabled()) {
          request.response().setStatusCode(404).end("metrics are off (METRICS_ENABLED=false)\n");
        } else {
          request.response().putHeader("Content-Type", TEXT_FORMAT).end(metrics.scrape());
        }
      }
      case "/health" -> json(request, 200, new JsonObject().put("status", "up").put("service", service)
          .put("node", node.nodeId()));
      case "/ready" -> {
        boolean ready = Readiness.ready(node);
        json(request, ready ? 200 : 503, new JsonObject().put("status", ready ? "ready" : "not-ready")
            .put("service", service).put("node", node.nodeId()));
      }
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
