package io.switchboard.it;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Http is a small blocking HTTP client for tests, used from the test thread only. */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  public static HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(uri(port, path)).GET().timeout(Duration.ofSeconds(30)).build());
  }

  public static HttpResponse<String> post(int port, String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(uri(port, path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(30)).build());
  }

  public static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new AssertionError("Request " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Polls {@code GET path} until the response satisfies {@code until}; returns that response. */
  public static HttpResponse<String> poll(int port, String path, Predicate<HttpResponse<String>> until,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(port, path);
        if (until.test(last)) {
          return last;
        }
      } catch (AssertionError connectionRefused) {
        // Not listening yet.
      }
      ServiceProcess.pause(200);
    }
    throw new AssertionError("GET " + path + " on " + port + " did not reach the expected state within "
        + timeout + "; last: " + (last == null ? "no response" : last.statusCode() + " " + last.body()));
  }

  public static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }
}
