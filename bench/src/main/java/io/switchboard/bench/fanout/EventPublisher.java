package io.switchboard.bench.fanout;

import io.switchboard.bench.Urls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * EventPublisher posts numbered probe events, {@code {"data":{"seq":n,"t":nanos}}}, to a server's
 * publish API and keeps which of them the server accepted. It also marks the measured window in
 * sequence numbers: the events from {@link #openWindow} up to {@link #closeWindow}.
 */
final class EventPublisher {

  private final HttpClient client;
  private final RequestOptions publish;
  private final AtomicLong nextSeq = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final LongAdder errors = new LongAdder();
  private final BitSet accepted = new BitSet();
  private volatile long firstMeasuredSeq = Long.MAX_VALUE;
  private volatile long endSeq = Long.MAX_VALUE;

  EventPublisher(Vertx vertx, String publishUrl) {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(8));
    publish = Urls.request(publishUrl).setMethod(HttpMethod.POST).putHeader("Content-Type", "application/json");
  }

  /** Whether the measured window is still open or yet to come: publishing stops when it closes. */
  boolean beforeEnd() {
    return nextSeq.get() < endSeq;
  }

  /** Posts the next event; its answer counts it as accepted or as an error. */
  void publishNext() {
    long seq = nextSeq.getAndIncrement();
    long t = System.nanoTime();
    Buffer body = new JsonObject().put("data", new JsonObject().put("seq", seq).put("t", t)).toBuffer();
    inFlight.incrementAndGet();
    client.request(publish)
        .compose(req -> req.send(body))
        .onComplete(ar -> {
          inFlight.decrementAndGet();
          if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
            ar.result().body();
            synchronized (accepted) {
              accepted.set((int) seq);
            }
          } else {
            errors.increment();
          }
        });
  }

  /** The measured window starts with the next event. */
  void openWindow() {
    firstMeasuredSeq = nextSeq.get();
  }

  /** The measured window ends before the next event. */
  void closeWindow() {
    endSeq = nextSeq.get();
  }

  boolean isMeasured(long seq) {
    return seq >= firstMeasuredSeq && seq < endSeq;
  }

  int firstMeasured() {
    return (int) firstMeasuredSeq;
  }

  /** Which events from {@code first} on, up to the window's end, were accepted, indexed from {@code first}. */
  BitSet acceptedFrom(int first) {
    int end = (int) Math.min(endSeq, nextSeq.get());
    synchronized (accepted) {
      return accepted.get(first, end);
    }
  }

  /** How many events of the closed window were accepted. */
  int acceptedInWindow() {
    synchronized (accepted) {
      return accepted.get((int) firstMeasuredSeq, (int) endSeq).cardinality();
    }
  }

  /** Publishes not answered yet. */
  long inFlight() {
    return inFlight.get();
  }

  /** Publishes that failed or were answered with other than 2xx. */
  long errors() {
    return errors.sum();
  }

  Future<Void> close() {
    return client.close();
  }
}
