package io.switchboard.bench.publish;

import io.switchboard.bench.Args;
import io.switchboard.bench.Latency;
import io.switchboard.bench.MeasuredWindow;
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
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WsPublishScenario publishes at a fixed total rate over several {@code /ws/topics} connections to
 * one topic and measures publish-to-acknowledgement latency: from writing a {@code publish} frame
 * to reading its {@code published} reply, which the gateway sends once the event is stored with its
 * backups.
 *
 * <p>Each publish's {@code ref} carries its sequence number and send time, so a reply alone says
 * which publish it answers and how long it took.
 */
public final class WsPublishScenario implements Scenario {

  private static final Logger LOG = LoggerFactory.getLogger(WsPublishScenario.class);

  private final AtomicLong nextSeq = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Latency latency = new Latency();
  private volatile long firstMeasured = Long.MAX_VALUE;
  private volatile long endSeq = Long.MAX_VALUE;

  @Override
  public String name() {
    return "ws-publish";
  }

  private record Options(String url, String topic, int connections, double rate, Duration warmup,
      Duration duration, Duration drain) {

    static Options from(Args args) {
      return new Options(args.string("url", "ws://127.0.0.1:8080/ws/topics"), args.string("topic", "bench-publish"),
          args.integer("connections", 20), args.decimal("rate", 1000), args.seconds("warmup", 3),
          args.seconds("duration", 10), args.seconds("drain", 5));
    }
  }

  @Override
  public Future<Result> run(Vertx vertx, Args args) {
    Options o = Options.from(args);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(o.connections() + 4).setConnectTimeout(10_000).setTcpNoDelay(true));
    WebSocketConnectOptions target = Urls.webSocket(o.url());
    Result result = Result.of(name(), args.string("system", o.url()), args)
        .extra("connections", o.connections()).extra("rate", o.rate()).extra("url", o.url());
    List<Future<ClientWebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < o.connections(); i++) {
      opening.add(connect(client, target));
    }
    return Future.all(opening)
        .compose(all -> {
          List<ClientWebSocket> sockets = all.list();
          LOG.info("ws-publish: {} connections open; publishing {}/s to {}", sockets.size(), o.rate(), o.topic());
          return measure(vertx, args, o, sockets, result);
        })
        .eventually(client::close);
  }

  /** A connection that has had its welcome. */
  private Future<ClientWebSocket> connect(WebSocketClient client, WebSocketConnectOptions target) {
    ClientWebSocket ws = client.webSocket();
    Promise<ClientWebSocket> welcomed = Promise.promise();
    ws.textMessageHandler(text -> {
      if (!welcomed.future().isComplete()) {
        welcomed.tryComplete(ws);
      } else {
        onReply(text);
      }
    });
    ws.closeHandler(v -> welcomed.tryFail("closed before its welcome"));
    return ws.connect(target).compose(v -> welcomed.future());
  }

  private void onReply(String text) {
    long now = System.nanoTime();
    JsonObject frame = new JsonObject(text);
    String type = frame.getString("type");
    if (!"published".equals(type)) {
      if ("error".equals(type)) {
        errors.increment();
        inFlight.decrementAndGet();
        if (errors.sum() <= 3) {
          LOG.warn("ws-publish: {}", text);
        }
      }
      return;
    }
    inFlight.decrementAndGet();
    String[] ref = frame.getString("ref", "-1-0").split("-");
    long seq = Long.parseLong(ref[0]);
    if (seq >= firstMeasured && seq < endSeq) {
      latency.recordNanos(now - Long.parseLong(ref[1]));
      acknowledged.increment();
    }
  }

  private Future<Result> measure(Vertx vertx, Args args, Options o, List<ClientWebSocket> sockets, Result result) {
    Promise<Result> done = Promise.promise();
    long started = System.nanoTime();
    long tick = vertx.setPeriodic(2, id -> {
      long due = (long) ((System.nanoTime() - started) / 1e9 * o.rate());
      while (nextSeq.get() < due && nextSeq.get() < endSeq) {
        long seq = nextSeq.getAndIncrement();
        inFlight.incrementAndGet();
        sockets.get((int) (seq % sockets.size())).writeTextMessage(new JsonObject().put("type", "publish")
            .put("topic", o.topic()).put("data", new JsonObject().put("seq", seq))
            .put("ref", seq + "-" + System.nanoTime()).encode());
      }
    });
    MeasuredWindow.schedule(vertx, args, o.warmup(), o.duration(), () -> {
      latency.reset();
      acknowledged.reset();
      firstMeasured = nextSeq.get();
    }, window -> {
      endSeq = nextSeq.get();
      vertx.cancelTimer(tick);
      double seconds = window.seconds();
      result.extra("cpu", window.cpu(acknowledged.sum()));
      long deadline = System.nanoTime() + o.drain().toNanos();
      vertx.setPeriodic(50, p -> {
        if (inFlight.get() <= 0 || System.nanoTime() > deadline) {
          vertx.cancelTimer(p);
          done.complete(finish(result, seconds));
        }
      });
    });
    return done.future();
  }

  private Result finish(Result result, double seconds) {
    long measured = endSeq - firstMeasured;
    long acked = acknowledged.sum();
    return result.throughput(acked / seconds, "acks/s", acked, seconds)
        .latency(latency.snapshot())
        .errors(errors.sum() + Math.max(0, inFlight.get()))
        .extra("published", measured)
        .extra("acknowledged", acked)
        .extra("unanswered", Math.max(0, inFlight.get()))
        .extra("summary", measured + " publishes in the window, " + acked + " acknowledged, "
            + errors.sum() + " errors, " + Math.max(0, inFlight.get()) + " unanswered");
  }
}
