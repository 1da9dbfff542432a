package io.switchboard.bench.sse;

import io.switchboard.bench.Args;
import io.switchboard.bench.CpuMeter;
import io.switchboard.bench.Latency;
import io.switchboard.bench.Pacer;
import io.switchboard.bench.Result;
import io.switchboard.bench.Scenario;
import io.switchboard.bench.Urls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SseFanoutScenario holds N subscribers on an event stream while events are published at a fixed
 * rate through an HTTP API, and measures delivered events per second, publish-to-receive latency,
 * and whether every subscriber received every event published during the measured window.
 *
 * <p>Events are published as {@code {"data":{"seq":n,"t":nanos}}}; a server that streams that
 * {@code data} back as the event's data line can be measured, whatever its URLs.
 */
public final class SseFanoutScenario implements Scenario {

  private static final Logger LOG = LoggerFactory.getLogger(SseFanoutScenario.class);

  private final Latency latency = new Latency();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder publishErrors = new LongAdder();
  private final LongAdder streamErrors = new LongAdder();
  private final AtomicLong nextSeq = new AtomicLong();
  private final AtomicLong publishesInFlight = new AtomicLong();
  private final AtomicLong connectErrors = new AtomicLong();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final BitSet published = new BitSet();
  /** By sequence number, the latest publish-to-receive latency of a measured event, in nanoseconds. */
  private final LastDeliveries lastDeliveries = new LastDeliveries();
  private volatile long firstMeasuredSeq = Long.MAX_VALUE;
  private volatile long endSeq = Long.MAX_VALUE;

  @Override
  public String name() {
    return "sse-fanout";
  }

  @Override
  public Future<Result> run(Vertx vertx, Args args) {
    String subscribeUrl = args.string("subscribe-url", "http://127.0.0.1:8080/sse/bench");
    String publishUrl = args.string("publish-url", "http://127.0.0.1:8080/api/topics/bench/events");
    int count = args.integer("subscribers", 1000);
    double rate = args.decimal("rate", 10);
    Duration warmup = args.seconds("warmup", 2);
    Duration duration = args.seconds("duration", 10);
    Duration drain = args.seconds("drain", 5);
    List<String> sourceIps = args.list("source-ips", "");
    List<NetClient> streamClients = new ArrayList<>();
    int perClient = sourceIps.isEmpty() ? count : (count + sourceIps.size() - 1) / sourceIps.size();
    for (int i = 0; i < Math.max(1, sourceIps.size()); i++) {
      NetClientOptions options = new NetClientOptions().setConnectTimeout(20_000).setTcpNoDelay(true);
      if (!sourceIps.isEmpty()) {
        options.setLocalAddress(sourceIps.get(i));
      }
      streamClients.add(vertx.createNetClient(options));
    }
    HttpClient publisher = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(8));
    RequestOptions publish = Urls.request(publishUrl).setMethod(HttpMethod.POST)
        .putHeader("Content-Type", "application/json");
    Result result = Result.of(name(), args.string("system", subscribeUrl), args)
        .extra("subscribeUrl", subscribeUrl).extra("publishUrl", publishUrl)
        .extra("subscribers", count).extra("rate", rate);

    LOG.info("sse-fanout: opening {} streams on {}", count, subscribeUrl);
    long connectStarted = System.nanoTime();
    // A stream that fails to open is counted and reported, not fatal: the others are still measured.
    // A connection stays on the event loop of the context that opened it; by default every stream
    // shares one, which costs the machine least.
    int loops = args.integer("stream-loops", 1);
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
    }
    return Pacer.run(count, 200, i -> onContext(contexts.get(i % loops),
            () -> subscribe(streamClients.get(i / perClient), subscribeUrl)).otherwise(e -> {
          if (connectErrors.incrementAndGet() <= 3) {
            LOG.warn("sse-fanout: stream {} did not open: {}", i, e.toString());
          }
          return null;
        }))
        .compose(v -> {
          double connectSeconds = (System.nanoTime() - connectStarted) / 1e9;
          result.extra("connectSeconds", connectSeconds).extra("streamsOpened", subscribers.size())
              .extra("streamsFailed", connectErrors.get());
          LOG.info("sse-fanout: {} streams open in {} s; publishing {}/s, warm-up {} s, measured {} s",
              count, String.format("%.1f", connectSeconds), rate, warmup.toSeconds(), duration.toSeconds());
          return measure(vertx, args, publisher, publish, rate, warmup, duration, drain, result);
        })
        .eventually(() -> Future.all(streamClients.stream().map(NetClient::close).toList()))
        .eventually(publisher::close);
  }

  private Future<Result> measure(Vertx vertx, Args args, HttpClient publisher, RequestOptions publish, double rate,
      Duration warmup, Duration duration, Duration drain, Result result) {
    Promise<Result> done = Promise.promise();
    long started = System.nanoTime();
    long[] sent = {0};
    long tick = vertx.setPeriodic(5, id -> {
      // Paced by elapsed time rather than by timer count, so a late timer does not lower the rate.
      long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
      while (sent[0] < due && nextSeq.get() < endSeq) {
        sent[0]++;
        publishOne(publisher, publish);
      }
    });
    vertx.setTimer(Math.max(1, warmup.toMillis()), w -> {
      latency.reset();
      delivered.reset();
      firstMeasuredSeq = nextSeq.get();
      long measureStart = System.nanoTime();
      CpuMeter cpu = CpuMeter.start(args);
      vertx.setTimer(duration.toMillis(), e -> {
        endSeq = nextSeq.get();
        vertx.cancelTimer(tick);
        double seconds = (System.nanoTime() - measureStart) / 1e9;
        result.extra("cpu", cpu.stop(delivered.sum()));
        long deadline = System.nanoTime() + drain.toNanos();
        vertx.setPeriodic(100, p -> {
          // Done when every publish has been answered and every subscriber has every event.
          if ((publishesInFlight.get() == 0 && missing() == 0) || System.nanoTime() > deadline) {
            vertx.cancelTimer(p);
            done.complete(finish(result, seconds));
          }
        });
      });
    });
    return done.future();
  }

  private void publishOne(HttpClient publisher, RequestOptions publish) {
    long seq = nextSeq.getAndIncrement();
    long t = System.nanoTime();
    Buffer body = new JsonObject().put("data", new JsonObject().put("seq", seq).put("t", t)).toBuffer();
    publishesInFlight.incrementAndGet();
    publisher.request(publish)
        .compose(req -> req.send(body))
        .onComplete(ar -> {
          publishesInFlight.decrementAndGet();
          if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
            ar.result().body();
            synchronized (published) {
              published.set((int) seq);
            }
          } else {
            publishErrors.increment();
          }
        });
  }

  private Result finish(Result result, double seconds) {
    int expected;
    synchronized (published) {
      expected = published.get((int) firstMeasuredSeq, (int) endSeq).cardinality();
    }
    long missing = missing();
    long complete;
    synchronized (subscribers) {
      complete = subscribers.stream().filter(s -> s.missing() == 0).count();
    }
    long deliveries = delivered.sum();
    // p99 over all deliveries is the tail of the slower events; this says how long a typical one took.
    long[] last = lastDeliveries.sortedMillis();
    boolean allDelivered = missing == 0 && publishErrors.sum() == 0 && streamErrors.sum() == 0
        && publishesInFlight.get() == 0 && expected > 0 && connectErrors.get() == 0;
    return result.throughput(deliveries / seconds, "events/s", deliveries, seconds)
        .latency(latency.snapshot())
        .errors(publishErrors.sum() + streamErrors.sum() + connectErrors.get())
        .extra("eventsPublished", expected)
        .extra("publishErrors", publishErrors.sum())
        .extra("publishesUnanswered", publishesInFlight.get())
        .extra("streamErrors", streamErrors.sum())
        .extra("missingDeliveries", missing)
        .extra("subscribersWithEveryEvent", complete)
        .extra("allDelivered", allDelivered)
        .extra("lastDeliveryP50Ms", LastDeliveries.percentile(last, 50))
        .extra("lastDeliveryP90Ms", LastDeliveries.percentile(last, 90))
        .extra("lastDeliveryMaxMs", LastDeliveries.percentile(last, 100))
        .extra("summary", subscribers.size() + " subscribers"
            + (connectErrors.get() > 0 ? " (" + connectErrors.get() + " failed to open)" : "") + ", " + expected + " events, "
            + (allDelivered ? "every event delivered" : missing + " deliveries missing")
            + (last.length == 0 ? "" : "; an event's last delivery p50 " + LastDeliveries.percentile(last, 50)
                + " ms, p90 " + LastDeliveries.percentile(last, 90) + " ms"));
  }

  private long missing() {
    int first = (int) firstMeasuredSeq;
    int end = (int) Math.min(endSeq, nextSeq.get());
    BitSet expected;
    synchronized (published) {
      expected = published.get(first, end);
    }
    long missing = 0;
    synchronized (subscribers) {
      for (Subscriber s : subscribers) {
        missing += s.missingOf(expected, first);
      }
    }
    return missing;
  }

  private static Future<?> onContext(Context context, java.util.function.Supplier<Future<?>> task) {
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

  private Future<?> subscribe(NetClient client, String url) {
    Subscriber s = new Subscriber();
    return RawSseStream.open(client, url, s.parser, streamErrors::increment)
        .onSuccess(stream -> {
          synchronized (subscribers) {
            subscribers.add(s);
          }
        });
  }

  /** One stream: the sequence numbers it received. */
  private final class Subscriber {
    private final BitSet seen = new BitSet();
    private final ProbeParser parser = new ProbeParser(this::onEvent);

    private void onEvent(long seq, long t) {
      long now = System.nanoTime();
      if (seq < 0) {
        return;
      }
      synchronized (this) {
        seen.set((int) seq);
      }
      if (seq >= firstMeasuredSeq && seq < endSeq) {
        latency.recordNanos(now - t);
        lastDeliveries.record(seq, now - t);
        delivered.increment();
      }
    }

    synchronized long missing() {
      return 0 + missingOf(publishedSnapshot(), (int) firstMeasuredSeq);
    }

    synchronized long missingOf(BitSet expected, int offset) {
      BitSet gap = (BitSet) expected.clone();
      gap.andNot(seen.get(offset, offset + expected.length()));
      return gap.cardinality();
    }

    private BitSet publishedSnapshot() {
      synchronized (published) {
        return published.get((int) firstMeasuredSeq, (int) Math.min(endSeq, nextSeq.get()));
      }
    }
  }
}
