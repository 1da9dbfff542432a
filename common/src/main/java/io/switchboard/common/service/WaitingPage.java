package io.switchboard.common.service;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WaitingPage answers {@code /health} and {@code /ready} on a lite member's HTTP port while it
 * waits for a data member to join the cluster, so that probes see why it does not serve yet:
 * {@code /health} says 200, {@code /ready} 503 with {@code data-members} missing. It closes before
 * the service itself listens on the port.
 */
public final class WaitingPage {

  private static final Logger LOG = LoggerFactory.getLogger(WaitingPage.class);
  private static final long TIMEOUT_SECONDS = 10;

  private final String service;
  private final String host;
  private final int port;
  private Vertx vertx;
  private boolean closed;

  public WaitingPage(String service, String host, int port) {
    this.service = service;
    this.host = host;
    this.port = port;
  }

  /** Starts answering; blocking, on a thread of its own. */
  public synchronized void open() {
    if (closed || vertx != null || port == 0) {
      return;
    }
    vertx = Vertx.vertx();
    JsonObject ready = new JsonObject()
        .put("status", "not-ready")
        .put("service", service)
        .put("missing", new JsonArray().add("data-members"))
        .put("message", "Waiting for a data member (sse-service, signaling-service) to join the cluster");
    JsonObject health = new JsonObject().put("status", "up").put("service", service)
        .put("waiting", "data-members");
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        boolean isReady = request.path().equals("/ready");
        boolean isHealth = request.path().equals("/health");
        request.response()
            .setStatusCode(isHealth ? 200 : 503)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end((isHealth ? health : ready).encode());
        if (!isReady && !isHealth) {
          LOG.debug("{} is waiting for a data member; answered {} with 503", service, request.path());
        }
      });
      server.listen(port, host).toCompletionStage().toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("{} answers /health and /ready on {}:{} while it waits", service, host, port);
    } catch (Exception e) {
      LOG.warn("Could not open the waiting page on {}:{}: {}", host, port, e.toString());
    }
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
