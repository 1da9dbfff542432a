package io.switchboard.bench.fanout;

import io.switchboard.bench.Args;
import io.switchboard.bench.MeasuredWindow;
import io.switchboard.bench.Pacer;
import io.switchboard.bench.Result;
import io.switchboard.bench.Scenario;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FanoutScenario holds N subscribers of one topic while events are published at a fixed rate
 * through an HTTP API, and measures delivered events per second, publish-to-receive latency, and
 * whether every subscriber received every event published during the measured window.
 *
 * <p>As {@code sse-fanout} the subscribers are event streams; as {@code ws-fanout} they are
 * WebSockets that subscribe in Switchboard's {@code /ws/topics} protocol or in Socket.IO's.
 *
 * <p>Events are published as {@code {"data":{"seq":n,"t":nanos}}}; a server that delivers that
 * {@code data} back, framed as it likes, can be measured, whatever its URLs.
 */
public final class FanoutScenario implements Scenario {

  private static final Logger LOG = LoggerFactory.getLogger(FanoutScenario.class);

  private final AtomicLong connectErrors = new AtomicLong();
  private final boolean webSockets;

  private FanoutScenario(boolean webSockets) {
    this.webSockets = webSockets;
  }

  /** Subscribers on event streams. */
  public static FanoutScenario sse() {
    return new FanoutScenario(false);
  }

  /** Subscribers on WebSockets. */
  public static FanoutScenario webSocket() {
    return new FanoutScenario(true);
  }

  @Override
  public String name() {
    return webSockets ? "ws-fanout" : "sse-fanout";
  }

  /** The command-line options of a run. */
  private record Options(String subscribeUrl, String publishUrl, int count, double rate, Duration warmup,
      Duration duration, Duration drain, List<String> sourceIps, String protocol, String topic) {

    static Options from(Args args) {
      return new Options(args.string("subscribe-url", "http://127.0.0.1:8080/sse/bench"),
          args.string("publish-url", "http://127.0.0.1:8080/api/topics/bench/events"),
          args.integer("subscribers", 1000), args.decimal("rate", 10), args.seconds("warmup", 2),
          args.seconds("duration", 10), args.seconds("drain", 5), args.list("source-ips", ""),
          args.string("protocol", "switchboard"), args.string("topic", "bench"));
    }
  }

  @Override
  public Future<Result> run(Vertx vertx, Args args) {
    Options o = Options.from(args);
    List<NetClient> streamClients = streamClients(vertx, o.sourceIps());
    EventPublisher publisher = new EventPublisher(vertx, o.publishUrl());
    Subscribers subscribers = new Subscribers(publisher);
    Result result = Result.of(name(), args.string("system", o.subscribeUrl()), args)
        .extra("subscribeUrl", o.subscribeUrl()).extra("publishUrl", o.publishUrl())
        .extra("subscribers", o.count()).extra("rate", o.rate());

    LOG.info("{}: opening {} subscribers on {}", name(), o.count(), o.subscribeUrl());
    long connectStarted = System.nanoTime();
    return openStreams(vertx, args.integer("stream-loops", 1), o, streamClients, subscribers)
        .compose(v -> {
          double connectSeconds = (System.nanoTime() - connectStarted) / 1e9;
          result.extra("connectSeconds", connectSeconds).extra("streamsOpened", subscribers.size())
              .extra("streamsFailed", connectErrors.get());
          LOG.info("{}: {} subscribers open in {} s; publishing {}/s, warm-up {} s, measured {} s",
              name(), o.count(), String.format("%.1f", connectSeconds), o.rate(), o.warmup().toSeconds(),
              o.duration().toSeconds());
          return measure(vertx, args, o, publisher, subscribers, result);
        })
        .eventually(() -> Future.all(streamClients.stream().map(NetClient::close).toList()))
        .eventually(publisher::close);
  }

  /** One client for each source address, or one client when there are none. */
  private static List<NetClient> streamClients(Vertx vertx, List<String> sourceIps) {
    List<NetClient> streamClients = new ArrayList<>();
    for (int i = 0; i < Math.max(1, sourceIps.size()); i++) {
      NetClientOptions options = new NetClientOptions().setConnectTimeout(20_000).setTcpNoDelay(true);
      if (!sourceIps.isEmpty()) {
        options.setLocalAddress(sourceIps.get(i));
      }
      streamClients.add(vertx.createNetClient(options));
    }
    return streamClients;
  }

  /**
   * Opens the streams, 200 at a time, the first share on the first client and so on. A stream that
   * fails to open is counted and reported, not fatal: the others are still measured.
   */
  private Future<Void> openStreams(Vertx vertx, int loops, Options o, List<NetClient> streamClients,
      Subscribers subscribers) {
    int count = o.count();
    List<String> sourceIps = o.sourceIps();
    int perClient = sourceIps.isEmpty() ? count : (count + sourceIps.size() - 1) / sourceIps.size();
    // A connection stays on the event loop of the context that opened it; by default every stream
    // shares one, which costs the machine least.
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
    }
    Function<Integer, Future<?>> subscribe;
    if (webSockets) {
      WebSocketSubscription.Protocol protocol = WebSocketSubscription.protocol(o.protocol());
      subscribe = i -> subscribers.subscribe(streamClients.get(i / perClient), o.subscribeUrl(), protocol, o.topic());
    } else {
      subscribe = i -> subscribers.subscribe(streamClients.get(i / perClient), o.subscribeUrl());
    }
    return Pacer.run(count, 200, i -> onContext(contexts.get(i % loops), () -> subscribe.apply(i)).otherwise(e -> {
          if (connectErrors.incrementAndGet() <= 3) {
            LOG.warn("{}: subscriber {} did not open: {}", name(), i, e.toString());
          }
          return null;
        }));
  }

  private static Future<?> onContext(Context context, Supplier<Future<?>> task) {
    Promise<Object> done = Promise.promise();
    context.runOnContext(v -> task.get().onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete(ar.result());
      } else {
        done.fail(ar.cause());
      }
    }));
    return done.future();
  }

  private Future<Result> measure(Vertx vertx, Args args, Options o, EventPublisher publisher,
      Subscribers subscribers, Result result) {
    Promise<Result> done = Promise.promise();
    long tick = startPublishing(vertx, publisher, o.rate());
    Runnable startMeasuring = () -> {
      subscribers.resetMeasures();
      publisher.openWindow();
    };
    MeasuredWindow.schedule(vertx, args, o.warmup(), o.duration(), startMeasuring, window -> {
      publisher.closeWindow();
      vertx.cancelTimer(tick);
      double seconds = window.seconds();
      result.extra("cpu", window.cpu(subscribers.delivered()));
      afterDrain(vertx, o.drain(), publisher, subscribers,
          () -> done.complete(finish(result, publisher, subscribers, seconds)));
    });
    return done.future();
  }

  /** Publishes {@code rate} events per second until the measured window closes; returns the timer. */
  private static long startPublishing(Vertx vertx, EventPublisher publisher, double rate) {
    long started = System.nanoTime();
    long[] sent = {0};
    return vertx.setPeriodic(5, id -> {
      // Paced by elapsed time rather than by timer count, so a late timer does not lower the rate.
      long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
      while (sent[0] < due && publisher.beforeEnd()) {
        sent[0]++;
        publisher.publishNext();
      }
    });
  }

  /**
   * Runs {@code then} once every publish has been answered and every subscriber has every event, or
   * when {@code drain} has passed.
   */
  private static void afterDrain(Vertx vertx, Duration drain, EventPublisher publisher, Subscribers subscribers,
      Runnable then) {
    long deadline = System.nanoTime() + drain.toNanos();
    vertx.setPeriodic(100, p -> {
      if ((publisher.inFlight() == 0 && subscribers.missing() == 0) || System.nanoTime() > deadline) {
        vertx.cancelTimer(p);
        then.run();
      }
    });
  }

  private Result finish(Result result, EventPublisher publisher, Subscribers subscribers, double seconds) {
    int expected = publisher.acceptedInWindow();
    long missing = subscribers.missing();
    long complete = subscribers.withEveryEvent();
    long deliveries = subscribers.delivered();
    // p99 over all deliveries is the tail of the slower events; this says how long a typical one took.
    long[] last = subscribers.lastDeliveriesMillis();
    boolean allDelivered = missing == 0 && publisher.errors() == 0 && subscribers.streamErrors() == 0
        && publisher.inFlight() == 0 && expected > 0 && connectErrors.get() == 0;
    return result.throughput(deliveries / seconds, "events/s", deliveries, seconds)
        .latency(subscribers.latency())
        .errors(publisher.errors() + subscribers.streamErrors() + connectErrors.get())
        .extra("eventsPublished", expected)
        .extra("publishErrors", publisher.errors())
        .extra("publishesUnanswered", publisher.inFlight())
        .extra("streamErrors", subscribers.streamErrors())
        .extra("missingDeliveries", missing)
        .extra("subscribersWithEveryEvent", complete)
        .extra("allDelivered", allDelivered)
        .extra("lastDeliveryP50Ms", LastDeliveries.percentile(last, 50))
        .extra("lastDeliveryP90Ms", LastDeliveries.percentile(last, 90))
        .extra("lastDeliveryMaxMs", LastDeliveries.percentile(last, 100))
        .extra("summary", summary(subscribers.size(), expected, allDelivered, missing, last));
  }

  private String summary(int opened, int expected, boolean allDelivered, long missing, long[] last) {
    return opened + " subscribers"
        + (connectErrors.get() > 0 ? " (" + connectErrors.get() + " failed to open)" : "")
        + ", " + expected + " events, "
        + (allDelivered ? "every event delivered" : missing + " deliveries missing")
        + (last.length == 0 ? "" : "; an event's last delivery p50 " + LastDeliveries.percentile(last, 50)
            + " ms, p90 " + LastDeliveries.percentile(last, 90) + " ms");
  }
}
