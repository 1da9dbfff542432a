package io.switchboard.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HistoryProbe reads a topic's history through a gateway again and again on a thread of its own,
 * a read as soon as the previous one is answered and a pause has passed, and keeps every answer
 * with when its read started.
 */
final class HistoryProbe implements AutoCloseable {

  /** One read: when it started, in ms since the probe started, its status and body. */
  record Read(long startedMs, long tookMs, int status, String body) {

    @Override
    public String toString() {
      return "read at " + startedMs + " ms took " + tookMs + " ms: " + status
          + (status == 200 ? "" : " " + body);
    }
  }

  private final int port;
  private final String path;
  private final long pauseMs;
  private final long startedNanos = System.nanoTime();
  private final List<Read> reads = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  HistoryProbe(int port, String topic, Duration pause) {
    this.port = port;
    this.path = "/api/topics/" + topic + "/events?limit=1";
    this.pauseMs = pause.toMillis();
    this.thread = new Thread(this::run, "history probe " + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** Milliseconds since the probe started, on the clock its reads are stamped with. */
  long nowMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private void run() {
    while (!closed) {
      long started = nowMs();
      int status;
      String body;
      try {
        HttpResponse<String> response = Http.get(port, path);
        status = response.statusCode();
        body = response.body();
      } catch (AssertionError failed) {
        status = -1;
        body = failed.getMessage();
      }
      add(new Read(started, nowMs() - started, status, body));
      ServiceProcess.pause(pauseMs);
    }
  }

  private synchronized void add(Read read) {
    reads.add(read);
  }

  /** Every read so far. */
  synchronized List<Read> reads() {
    return new ArrayList<>(reads);
  }

  /** Every read so far that started at or after {@code fromMs} and did not answer 200. */
  synchronized List<Read> failedSince(long fromMs) {
    return reads.stream().filter(read -> read.startedMs() >= fromMs && read.status() != 200).toList();
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(40_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
