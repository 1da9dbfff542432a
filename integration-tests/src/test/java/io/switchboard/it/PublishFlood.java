package io.switchboard.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * PublishFlood sends many large publishes to a gateway at once, each on a connection of its own,
 * and counts the answers by status (-1 for a request that got none). Run from the test thread.
 */
final class PublishFlood {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private PublishFlood() {
  }

  /**
   * Publishes {@code total} events of {@code bytes} characters of data over {@code topics} topics,
   * {@code concurrency} at a time; returns the count of each status.
   */
  static Map<Integer, Integer> run(int port, int total, int concurrency, int bytes, int topics) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30)).build();
    String body = "{\"data\":\"" + "x".repeat(bytes) + "\"}";
    Semaphore permits = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(total);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    try {
      for (int i = 0; i < total; i++) {
        permits.acquire();
        HttpRequest request = HttpRequest.newBuilder(Http.uri(port, "/api/topics/flood-" + (i % topics) + "/events"))
            .header("Content-Type", "application/json")
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, err) -> {
          statuses.merge(err == null ? response.statusCode() : -1, 1, Integer::sum);
          permits.release();
          done.countDown();
        });
      }
      if (!done.await(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the flood did not end: " + statuses);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new TreeMap<>(statuses);
  }
}
