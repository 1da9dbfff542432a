package io.switchboard.it;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * ResumingSubscriber is an SSE client that behaves like EventSource with a list of gateways: when
 * its stream ends or fails it connects to the next gateway that answers and resumes with
 * {@code Last-Event-ID}, the last id any stream gave it, an event's or the position a stream opens
 * with. It runs on a thread of its own and keeps every event it receives, until
 * one matches {@code last}. A {@code reconnect} event is not kept with the others: it is noted with
 * the stream it ended ({@link #streams()}), and the subscriber waits for that stream to end, as
 * EventSource does.
 */
public final class ResumingSubscriber implements AutoCloseable {

  /**
   * One stream that ended: the gateway's port, the id the subscriber resumed from when it opened
   * it and its last id when the stream ended, the {@code reconnect} event that ended it (null when
   * it ended without one), and the events that came after that event (there should be none).
   */
  public record Stream(int port, String resumedFrom, String lastId, SseClient.Event reconnect,
      List<SseClient.Event> afterReconnect) {
  }

  static final String RECONNECT = "reconnect";

  private final Vertx vertx;
  private final Supplier<List<Integer>> ports;
  private final String path;
  private final Predicate<SseClient.Event> last;
  private final List<SseClient.Event> received = new ArrayList<>();
  private final List<Stream> streams = new ArrayList<>();
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closed;
  private volatile int resumes;
  /** The id the next stream resumes after, as EventSource keeps it; null before any stream gave one. */
  private String resumeFrom;

  ResumingSubscriber(Vertx vertx, List<Integer> ports, String path, Predicate<SseClient.Event> last) {
    this(vertx, constant(List.copyOf(ports)), path, last);
  }

  /** A subscriber that asks {@code ports} for the gateways that are up before each connection. */
  public ResumingSubscriber(Vertx vertx, Supplier<List<Integer>> ports, String path, Predicate<SseClient.Event> last) {
    this.vertx = vertx;
    this.ports = ports;
    this.path = path;
    this.last = last;
    this.thread = new Thread(this::run, "subscriber " + path);
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until the first stream is open. */
  public void awaitOpen(Duration timeout) throws InterruptedException {
    if (!opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("No stream opened within " + timeout);
    }
  }

  /** Waits for the event that ends the subscription and returns everything received. */
  public List<SseClient.Event> awaitLast(Duration timeout) throws InterruptedException {
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("The last event did not arrive within " + timeout + "; received "
          + snapshot().size() + " events after " + resumes + " resumes");
    }
    return snapshot();
  }

  public int resumes() {
    return resumes;
  }

  /** Every stream that ended so far, the first first. */
  public synchronized List<Stream> streams() {
    return new ArrayList<>(streams);
  }

  private synchronized void ended(Stream stream) {
    streams.add(stream);
  }

  private static Supplier<List<Integer>> constant(List<Integer> ports) {
    return () -> ports;
  }

  /** Everything received so far, whether or not the last event came. */
  public List<SseClient.Event> received() {
    return snapshot();
  }

  private synchronized List<SseClient.Event> snapshot() {
    return new ArrayList<>(received);
  }

  private synchronized void add(SseClient.Event event) {
    received.add(event);
  }

  private void run() {
    int attempt = 0;
    while (!closed) {
      List<Integer> up = ports.get();
      int port = up.get(attempt++ % up.size());
      String from = resumeFrom;
      SseClient client;
      try {
        client = SseClient.connect(vertx, port, path, from);
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
        boolean finished = read(client, port, from);
        if (client.lastEventId() != null) {
          resumeFrom = client.lastEventId();
        }
        if (finished) {
          done.countDown();
          return;
        }
      }
      resumes++;
    }
  }

  /** Reads until the stream ends; true once the last event arrived. */
  private boolean read(SseClient client, int port, String from) {
    SseClient.Event reconnect = null;
    List<SseClient.Event> afterReconnect = new ArrayList<>();
    while (!closed) {
      SseClient.Event event = client.poll(Duration.ofMillis(200));
      if (event == null) {
        if (client.ended()) {
          String lastId = client.lastEventId();
          ended(new Stream(port, from, lastId == null ? from : lastId, reconnect, afterReconnect));
          return false;
        }
      } else if (reconnect != null) {
        afterReconnect.add(event);
      } else if (RECONNECT.equals(event.type())) {
        reconnect = event;
      } else {
        add(event);
        if (last.test(event)) {
          return true;
        }
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
