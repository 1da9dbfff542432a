package io.switchboard.bench.signaling;

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
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingRelayScenario connects P pairs of peers, each pair split over two server instances,
 * joins each pair into its own room, then has them ping-pong {@code sdp} messages. It measures
 * join latency and joins per second, relays per second and the one-way relay latency.
 *
 * <p>Without {@code --rate} each pair keeps {@code --window} pings in flight (as fast as the
 * server goes); with {@code --rate} pings are paced so that pings and pongs together make that
 * many relays per second.
 */
public final class SignalingRelayScenario implements Scenario {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingRelayScenario.class);

  private final Latency relayLatency = new Latency();
  private final Latency joinLatency = new Latency();
  private final LongAdder relays = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final List<Pair> pairs = new ArrayList<>();
  private volatile boolean sending = true;
  private volatile boolean measuring;
  private volatile boolean paced;
  private final Latency connectLatency = new Latency();

  @Override
  public String name() {
    return "signaling-relay";
  }

  @Override
  public Future<Result> run(Vertx vertx, Args args) {
    String protocol = args.string("protocol", "switchboard");
    String urlA = args.string("url-a", "ws://127.0.0.1:8080/ws/signaling");
    String urlB = args.string("url-b", urlA);
    int pairCount = args.integer("pairs", 50);
    int window = args.integer("window", 1);
    double rate = args.decimal("rate", 0);
    Duration warmup = args.seconds("warmup", 2);
    Duration duration = args.seconds("duration", 10);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(2 * pairCount + 16).setConnectTimeout(10_000));
    String run = UUID.randomUUID().toString().substring(0, 8);
    Result result = Result.of(name(), args.string("system", protocol + " " + urlA), args)
        .extra("protocol", protocol).extra("urlA", urlA).extra("urlB", urlB)
        .extra("pairs", pairCount).extra("rate", rate).extra("window", window);

    LOG.info("signaling-relay: {} pairs over {} and {} ({})", pairCount, urlA, urlB, protocol);
    for (int i = 0; i < pairCount; i++) {
      pairs.add(new Pair());
    }
    return connectPairs(client, protocol, urlA, urlB)
        .compose(connectSeconds -> {
          result.extra("connectSeconds", connectSeconds);
          return joinPairs(run);
        })
        .compose(joinSeconds -> {
          recordJoins(result, protocol, joinSeconds);
          LOG.info("signaling-relay: {} joins in {} s; relaying, warm-up {} s, measured {} s",
              2 * pairCount, String.format("%.2f", joinSeconds), warmup.toSeconds(), duration.toSeconds());
          return relay(vertx, args, rate, window, warmup, duration, result);
        })
        .eventually(() -> client.close());
  }

  /** Connects every pair; completes with the seconds that took. */
  private Future<Double> connectPairs(WebSocketClient client, String protocol, String urlA, String urlB) {
    long connectStart = System.nanoTime();
    return Pacer.run(pairs.size(), 32, i -> pairs.get(i).connect(client, protocol, urlA, urlB))
        .map(v -> (System.nanoTime() - connectStart) / 1e9);
  }

  /** Joins every pair into a room of its own; completes with the seconds that took. */
  private Future<Double> joinPairs(String run) {
    long joinStart = System.nanoTime();
    return Pacer.run(pairs.size(), 32, i -> pairs.get(i).join("bench-" + run + "-" + i))
        .map(x -> (System.nanoTime() - joinStart) / 1e9);
  }

  private void recordJoins(Result result, String protocol, double joinSeconds) {
    // PeerJS has no rooms: its registration (connect until OPEN) stands for the join.
    boolean rooms = !protocol.equals("peerjs");
    result.latency("connect", connectLatency.snapshot())
        .latency("join", rooms ? joinLatency.snapshot() : connectLatency.snapshot())
        .extra("joinIsRegistration", !rooms)
        .extra("joinsPerSecond", rooms ? 2 * pairs.size() / joinSeconds
            : 2 * pairs.size() / result.extras().getDouble("connectSeconds"));
  }

  private Future<Result> relay(Vertx vertx, Args args, double rate, int window, Duration warmup, Duration duration,
      Result result) {
    Promise<Result> done = Promise.promise();
    long tick = startPinging(vertx, rate, window);
    MeasuredWindow.schedule(vertx, args, warmup, duration, this::startMeasuring, measured -> {
      measuring = false;
      sending = false;
      if (tick >= 0) {
        vertx.cancelTimer(tick);
      }
      done.complete(relayResult(result, measured));
    });
    return done.future();
  }

  /**
   * Starts the pings: paced so that pings and pongs make {@code rate} relays per second, or, without
   * a rate, {@code window} in flight per pair. Returns the pacing timer, or -1 when there is none.
   */
  private long startPinging(Vertx vertx, double rate, int window) {
    long started = System.nanoTime();
    paced = rate > 0;
    if (!paced) {
      pairs.forEach(p -> {
        for (int i = 0; i < window; i++) {
          p.ping();
        }
      });
      return -1;
    }
    long[] sent = {0};
    return vertx.setPeriodic(1, id -> {
      long due = (long) ((System.nanoTime() - started) / 1e9 * rate / 2);
      while (sent[0] < due && sending) {
        pairs.get((int) (sent[0]++ % pairs.size())).ping();
      }
    });
  }

  /** The warm-up is over: what it recorded is forgotten. */
  private void startMeasuring() {
    relayLatency.reset();
    relays.reset();
    measuring = true;
  }

  private Result relayResult(Result result, MeasuredWindow measured) {
    double seconds = measured.seconds();
    long count = relays.sum();
    result.extra("cpu", measured.cpu(count));
    return result.throughput(count / seconds, "relays/s", count, seconds)
        .latency(relayLatency.snapshot())
        .errors(errors.sum())
        .extra("summary", String.format("%d pairs, joins %.0f/s, join p99 %.2f ms", pairs.size(),
            result.extras().getDouble("joinsPerSecond"),
            result.extras().getJsonObject("join").getDouble("p99")));
  }

  /** Two peers on different instances; {@code a} pings, {@code b} answers. */
  private final class Pair {
    private SignalPeer a;
    private SignalPeer b;
    private long seq;

    Future<?> connect(WebSocketClient client, String protocol, String urlA, String urlB) {
      String idA = "a" + UUID.randomUUID().toString().replace("-", "");
      String idB = "b" + UUID.randomUUID().toString().replace("-", "");
      a = SignalPeer.create(protocol, client, this::onPong, errors, idA);
      b = SignalPeer.create(protocol, client, this::onPing, errors, idB);
      return Future.all(timed(a, SignalPeer.url(protocol, urlA, idA)), timed(b, SignalPeer.url(protocol, urlB, idB)));
    }

    private Future<String> timed(SignalPeer peer, String url) {
      long t0 = System.nanoTime();
      return peer.connect(Urls.webSocket(url))
          .onSuccess(id -> connectLatency.recordNanos(System.nanoTime() - t0));
    }

    // The second peer joins once the first is in, as a callee joins a caller's room.
    Future<?> join(String room) {
      return timedJoin(a, room).compose(v -> timedJoin(b, room));
    }

    private Future<Void> timedJoin(SignalPeer peer, String room) {
      long t0 = System.nanoTime();
      return peer.join(room).onSuccess(v -> joinLatency.recordNanos(System.nanoTime() - t0));
    }

    synchronized void ping() {
      a.relay(b.id(), seq++, System.nanoTime(), true);
    }

    private void onPing(Relay r) {
      record(r);
      b.relay(a.id(), r.seq(), System.nanoTime(), false);
    }

    private void onPong(Relay r) {
      record(r);
      if (sending && pairs.size() > 0 && !paced) {
        ping();
      }
    }

    private void record(Relay r) {
      if (measuring) {
        relayLatency.recordNanos(System.nanoTime() - r.sentAt());
        relays.increment();
      }
    }
  }
}
