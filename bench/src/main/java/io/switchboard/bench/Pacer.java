package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Pacer starts many asynchronous tasks (connects, joins) with at most a fixed number outstanding,
 * so opening thousands of connections neither floods the server's accept queue nor the client.
 */
public final class Pacer {

  private Pacer() {
  }

  /** Runs {@code task(0..count-1)} with at most {@code concurrency} at once; fails on the first failure. */
  public static Future<Void> run(int count, int concurrency, IntFunction<Future<?>> task) {
    Promise<Void> done = Promise.promise();
    if (count == 0) {
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count) {
        return;
      }
      task.apply(i).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        if (finished.incrementAndGet() == count) {
          done.tryComplete();
        } else {
          pump[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(concurrency, count); i++) {
      pump[0].run();
    }
    return done.future();
  }
}
