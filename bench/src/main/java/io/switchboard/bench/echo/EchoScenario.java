package io.switchboard.bench.echo;

import io.switchboard.bench.Args;
import io.switchboard.bench.Latency;
import io.switchboard.bench.MeasuredWindow;
import io.switchboard.bench.Pacer;
import io.switchboard.bench.Result;
import io.switchboard.bench.Scenario;
import io.switchboard.bench.Urls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EchoScenario keeps N WebSocket connections busy with K text messages in flight each and measures
 * messages per second and the round trip, after a warm-up, over a fixed duration.
 *
 * <p>Any server that answers every text message with exactly one text message, in order, can be
 * measured: Switchboard's {@code /ws/echo} and the Node.js {@code ws} echo server alike.
 */
public final class EchoScenario implements Scenario {

  private static final Logger LOG = LoggerFactory.getLogger(EchoScenario.class);
  static final String EXPECTED_PREFIX = "Server received: ";

  private final LongAdder received = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Latency latency = new Latency();
  private final List<Conn> conns = new ArrayList<>();
  private volatile boolean sending = true;
  private volatile boolean measuring;

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public Future<Result> run(Vertx vertx, Args args) {
    String url = args.string("url", "ws://127.0.0.1:8080/ws/echo");
    int connections = args.integer("connections", 64);
    int inFlight = args.integer("in-flight", 8);
    Duration warmup = args.seconds("warmup", 3);
    Duration duration = args.seconds("duration", 10);
    String payload = "x".repeat(Math.max(1, args.integer("size", 32)));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(connections + 16)
        .setConnectTimeout(10_000));
    WebSocketConnectOptions target = Urls.webSocket(url);
    Result result = Result.of(name(), args.string("system", url), args).extra("target", url)
        .extra("connections", connections).extra("inFlight", inFlight).extra("payloadBytes", payload.length());

    LOG.info("echo: connecting {} WebSockets to {}", connections, url);
    return Pacer.run(connections, 64, i -> connect(client, target, payload))
        .compose(v -> {
          LOG.info("echo: {} connected; warm-up {} s, then {} s measured", connections,
              warmup.toSeconds(), duration.toMillis() / 1000.0);
          conns.forEach(c -> c.start(inFlight));
          return measure(vertx, args, warmup, duration, result, connections + " conns x " + inFlight + " in flight");
        })
        .eventually(() -> client.close());
  }

  private Future<Result> measure(Vertx vertx, Args args, Duration warmup, Duration duration, Result result,
      String summary) {
    Promise<Result> done = Promise.promise();
    MeasuredWindow.schedule(vertx, args, warmup, duration, this::startMeasuring, window -> {
      measuring = false;
      sending = false;
      double seconds = window.seconds();
      long count = received.sum();
      result.extra("cpu", window.cpu(count));
      done.complete(result.throughput(count / seconds, "msg/s", count, seconds)
          .latency(latency.snapshot())
          .errors(errors.sum())
          .extra("summary", summary));
    });
    return done.future();
  }

  /** The warm-up is over: what it recorded is forgotten. */
  private void startMeasuring() {
    latency.reset();
    received.reset();
    errors.reset();
    measuring = true;
  }

  private Future<?> connect(WebSocketClient client, WebSocketConnectOptions target, String payload) {
    ClientWebSocket ws = client.webSocket();
    Conn conn = new Conn(ws, payload);
    ws.textMessageHandler(conn::onReply);
    ws.exceptionHandler(e -> errors.increment());
    return ws.connect(target).onSuccess(s -> {
      synchronized (conns) {
        conns.add(conn);
      }
    });
  }

  /** One connection: its send times, oldest first, match the replies since echo keeps order. */
  private final class Conn {
    private final ClientWebSocket ws;
    private final String payload;
    private final ArrayDeque<Long> sentAt = new ArrayDeque<>();

    Conn(ClientWebSocket ws, String payload) {
      this.ws = ws;
      this.payload = payload;
    }

    // Synchronized because the first sends come from a timer, the later ones from the event loop.
    synchronized void start(int inFlight) {
      for (int i = 0; i < inFlight; i++) {
        send();
      }
    }

    void send() {
      sentAt.add(System.nanoTime());
      ws.writeTextMessage(payload);
    }

    synchronized void onReply(String text) {
      Long t0 = sentAt.poll();
      if (t0 == null) {
        errors.increment();
        return;
      }
      if (measuring) {
        latency.recordNanos(System.nanoTime() - t0);
        if (text.startsWith(EXPECTED_PREFIX)) {
          received.increment();
        } else {
          errors.increment();
        }
      }
      if (sending) {
        send();
      }
    }
  }
}
