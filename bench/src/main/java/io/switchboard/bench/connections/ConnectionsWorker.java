package io.switchboard.bench.connections;

import io.switchboard.bench.Args;
import io.switchboard.bench.Console;
import io.switchboard.bench.Pacer;
import io.switchboard.bench.Urls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConnectionsWorker is one client process of the {@code connections} scenario: it opens its share of
 * idle WebSockets and SSE streams, spread over several source addresses, prints one line
 * {@code opened <n> failed <m> seconds <s>}, and holds them until its standard input closes.
 */
public final class ConnectionsWorker {

  public static final String COMMAND = "connections-worker";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionsWorker.class);

  private final List<WebSocketClient> wsClients = new ArrayList<>();
  private final List<HttpClient> httpClients = new ArrayList<>();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();
  private final String wsUrl;
  private final RequestOptions stream;

  /** One WebSocket client and one HTTP client per source address, each pooling its share of {@code total}. */
  private ConnectionsWorker(Vertx vertx, String wsUrl, String sseUrl, int total, List<String> sourceIps) {
    int per = total / sourceIps.size() + 16;
    for (String ip : sourceIps) {
      wsClients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(ip)
          .setMaxConnections(per).setConnectTimeout(30_000)));
      httpClients.add(vertx.createHttpClient(new HttpClientOptions().setLocalAddress(ip).setKeepAlive(true)
          .setConnectTimeout(30_000), new PoolOptions().setHttp1MaxSize(per)));
    }
    this.wsUrl = wsUrl;
    this.stream = Urls.request(sseUrl).setMethod(HttpMethod.GET).putHeader("Accept", "text/event-stream");
  }

  public static void main(Args args) throws Exception {
    String wsUrl = args.string("ws-url", "ws://127.0.0.1:8080/ws/echo");
    String sseUrl = args.string("sse-url", "http://127.0.0.1:8080/sse/idle");
    int websockets = args.integer("websockets", 0);
    int streams = args.integer("streams", 0);
    List<String> sourceIps = args.list("source-ips", "127.0.0.1");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    ConnectionsWorker worker = new ConnectionsWorker(vertx, wsUrl, sseUrl, websockets + streams, sourceIps);
    long start = System.nanoTime();
    Pacer.run(websockets + streams, 200, i -> worker.open(i, websockets))
        .toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    Console.line(new WorkerReport(worker.opened.get(), worker.failed.get(), seconds).line());
    holdUntilInputCloses();
    System.exit(0);
  }

  /** Opens connection {@code i}: a WebSocket for the first {@code websockets}, a stream after. */
  private Future<Long> open(int i, int websockets) {
    int source = i % wsClients.size();
    Future<?> f = i < websockets ? wsClients.get(source).connect(Urls.webSocket(wsUrl)) : openStream(source);
    // A failed connection is counted, not fatal: the limit being measured is where failures start.
    return f.map(x -> opened.incrementAndGet()).otherwise(e -> {
      if (failed.incrementAndGet() <= 3) {
        LOG.warn("connection {} failed: {}", i, e.toString());
      }
      return 0L;
    });
  }

  /** Opens an event stream and reads it, discarding what arrives. */
  private Future<?> openStream(int source) {
    return httpClients.get(source).request(stream).compose(r -> r.send()).compose(resp -> {
      resp.handler(b -> { });
      return resp.statusCode() == 200 ? Future.succeededFuture() : Future.failedFuture("status " + resp.statusCode());
    });
  }

  private static void holdUntilInputCloses() {
    try {
      while (System.in.read() >= 0) {
        // Hold the connections until the coordinator closes our input.
      }
    } catch (IOException e) {
      LOG.debug("stdin closed: {}", e.toString());
    }
  }
}
