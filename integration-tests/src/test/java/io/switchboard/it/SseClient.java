package io.switchboard.it;

import io.switchboard.common.testing.TestCluster;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SseClient reads a text/event-stream the way EventSource does: events and comments queue up and
 * the test thread takes them with a timeout.
 */
public final class SseClient implements AutoCloseable {

  /** One dispatched event; {@code type} is null for the default {@code message}. */
  public record Event(String id, String type, String data) {

    public JsonObject json() {
      return new JsonObject(data);
    }

    /** The position part of the id, which the tests may read even though clients must not. */
    long position() {
      return SseClient.position(id);
    }

    String epoch() {
      return id.substring(0, id.lastIndexOf('-'));
    }
  }

  static long position(String id) {
    return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
  }

  private final HttpClient client;
  private final HttpClientResponse response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private String id;
  private String type;
  private boolean hasData;

  private SseClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  static SseClient connect(Vertx vertx, int port, String path) {
    return connect(vertx, port, path, null);
  }

  static SseClient connect(Vertx vertx, int port, String path, String lastEventId) {
    return lastEventId == null ? connectWith(vertx, port, path)
        : connectWith(vertx, port, path, "Last-Event-ID", lastEventId);
  }

  /** Opens {@code path} with the request headers given as name, value, name, value... */
  static SseClient connectWith(Vertx vertx, int port, String path, String... headers) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(port).setURI(path).putHeader("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    // On a context, the handlers are set as the response arrives, before any of its body.
    return TestCluster.awaitOn(vertx, () -> client.request(options)
        .compose(request -> request.send())
        .map(resp -> {
          SseClient sse = new SseClient(client, resp);
          resp.handler(chunk -> sse.onText(chunk.toString()));
          resp.endHandler(v -> sse.ended.complete(null));
          resp.exceptionHandler(err -> sse.ended.complete(null));
          return sse;
        }));
  }

  /**
   * The last event id the stream gave, as EventSource keeps it to send back as {@code Last-Event-ID}:
   * the id field of the latest block, whether or not it dispatched an event; null before any.
   */
  public synchronized String lastEventId() {
    return id;
  }

  int status() {
    return response.statusCode();
  }

  MultiMap headers() {
    return response.headers();
  }

  private synchronized void onText(String text) {
    partial.append(text);
    int newline;
    while ((newline = partial.indexOf("\n")) >= 0) {
      String line = partial.substring(0, newline);
      partial.delete(0, newline + 1);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      onLine(line);
    }
  }

  private void onLine(String line) {
    if (line.isEmpty()) {
      if (hasData) {
        events.add(new Event(id, type, data.toString()));
      }
      data.setLength(0);
      hasData = false;
      type = null;
      return;
    }
    if (line.startsWith(":")) {
      comments.add(line.substring(1).trim());
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "id" -> id = value;
      case "event" -> type = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      default -> {
      }
    }
  }

  Event next(Duration timeout) {
    try {
      Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("No event within " + timeout
            + (ended() ? "; the stream ended" : ""));
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Event next() {
    return next(Duration.ofSeconds(10));
  }

  List<Event> next(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> list = new ArrayList<>();
    while (list.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("Got " + list.size() + " of " + count + " events within " + timeout
            + (ended() ? "; the stream ended" : ""));
      }
      Event event;
      try {
        event = events.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (event != null) {
        list.add(event);
      }
    }
    return list;
  }

  /** Null when nothing arrives within {@code quiet}. */
  Event poll(Duration quiet) {
    try {
      return events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String nextComment(Duration timeout) {
    try {
      String comment = comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (comment == null) {
        throw new AssertionError("No comment within " + timeout);
      }
      return comment;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  boolean ended() {
    return ended.isDone();
  }

  void awaitEnd(Duration timeout) {
    try {
      ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("Stream not ended within " + timeout, e);
    }
  }

  @Override
  public void close() {
    TestCluster.await(client.close());
  }
}
