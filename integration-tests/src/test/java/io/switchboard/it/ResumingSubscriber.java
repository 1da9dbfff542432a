package io.switchboard.it;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * ResumingSubscriber is an SSE client that behaves like EventSource with a list of gateways: when
 * its stream ends or fails it connects to the next gateway that answers and resumes with
 * {@code Last-Event-ID}. It runs on a thread of its own and keeps every event it receives, until
 * one matches {@code last}.
 */
final class ResumingSubscriber implements AutoCloseable {

  private final Vertx vertx;
  private final List<Integer> ports;
  private final String path;
  private final Predicate<SseClient.Event> last;
  private final List<SseClient.Event> received = new ArrayList<>();
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closed;
  private volatile int resumes;

  ResumingSubscriber(Vertx vertx, List<Integer> ports, String path, Predicate<SseClient.Event> last) {
    this.vertx = vertx;
    this.ports = List.copyOf(ports);
    this.path = path;
    this.last = last;
    this.thread = new Thread(this::run, "subscriber " + path);
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until the first stream is open. */
  void awaitOpen(Duration timeout) throws InterruptedException {
    if (!opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("No stream opened within " + timeout);
    }
  }

  /** Waits for the event that ends the subscription and returns everything received. */
  List<SseClient.Event> awaitLast(Duration timeout) throws InterruptedException {
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("The last event did not arrive within " + timeout + "; received "
          + snapshot().size() + " events after " + resumes + " resumes");
    }
    return snapshot();
  }

  int resumes() {
    return resumes;
  }

  private synchronized List<SseClient.Event> snapshot() {
    return new ArrayList<>(received);
  }

  private synchronized String lastId() {
    return received.isEmpty() ? null : received.get(received.size() - 1).id();
  }

  private synchronized void add(SseClient.Event event) {
    received.add(event);
  }

  private void run() {
    int attempt = 0;
    while (!closed) {
      int port = ports.get(attempt++ % ports.size());
      SseClient client;
      try {
        client = SseClient.connect(vertx, port, path, lastId());
      } catch (RuntimeException | AssertionError refused) {
        ServiceProcess.pause(200);
        continue;
      }
      try (client) {
        if (client.status() != 200) {
          ServiceProcess.pause(200);
          continue;
        }
        opened.countDown();
        if (read(client)) {
          done.countDown();
          return;
        }
      }
      resumes++;
    }
  }

  /** Reads until the stream ends; true once the last event arrived. */
  private boolean read(SseClient client) {
    while (!closed) {
      SseClient.Event event = client.poll(Duration.ofMillis(200));
      if (event != null) {
        add(event);
        if (last.test(event)) {
          return true;
        }
      } else if (client.ended()) {
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
