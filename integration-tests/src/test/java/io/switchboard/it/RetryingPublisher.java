package io.switchboard.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * RetryingPublisher publishes numbered events to one topic the way a careful client does: each
 * event under an {@code Idempotency-Key} of its own, retried with the same key after a 503, a 504
 * or a lost connection, with a backoff that doubles up to a second. Given several gateways, it
 * sends each retry to the next one, as a client behind a load balancer would reach another. It
 * keeps the ledger of what was acknowledged, in order, and how long the slowest acknowledgement took.
 */
public final class RetryingPublisher {

  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 1_000;
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Supplier<List<Integer>> ports;
  private int next;
  private volatile int ackedCount;
  private final String topic;
  private final Map<String, String> acked = new LinkedHashMap<>();
  private int sent;
  private int retries;
  private long slowestNanos;
  private int slowestNumber = -1;
  private final List<String> failures = new ArrayList<>();
  private final List<Wait> waits = new ArrayList<>();

  /**
   * One acknowledged publish: its number ({@code -1} for the sentinel), and the {@link
   * System#nanoTime()} of its first attempt and of its acknowledgement.
   */
  public record Wait(int number, long firstAttemptNanos, long acknowledgedNanos) {}

  RetryingPublisher(int port, String topic) {
    this(() -> List.of(port), topic);
  }

  /** A publisher that asks {@code ports} for the gateways that are up before each attempt. */
  public RetryingPublisher(Supplier<List<Integer>> ports, String topic) {
    this.ports = ports;
    this.topic = topic;
  }

  /** Publishes at {@code perSecond} for {@code length}; each event is acknowledged or this fails. */
  void publishFor(Duration length, int perSecond) {
    long started = System.nanoTime();
    publishUntil(() -> System.nanoTime() - started >= length.toNanos(), perSecond);
  }

  /** Publishes at {@code perSecond} until {@code stop} says so; each event is acknowledged or this fails. */
  public void publishUntil(BooleanSupplier stop, int perSecond) {
    long started = System.nanoTime();
    for (int i = 0; !stop.getAsBoolean(); i++) {
      publishNext();
      long due = started + (long) (i + 1) * 1_000_000_000L / perSecond;
      long ahead = due - System.nanoTime();
      if (ahead > 0) {
        ServiceProcess.pause(ahead / 1_000_000);
      }
    }
  }

  /** Publishes the next numbered event and returns its acknowledged id. */
  String publishNext() {
    int n = sent++;
    String key = "ledger-" + n + "-" + UUID.randomUUID();
    JsonObject body = new JsonObject().put("data", new JsonObject().put("n", n).put("key", key));
    String id = publish(key, body, n);
    acked.put(key, id);
    ackedCount = acked.size();
    return id;
  }

  /** Publishes an event that marks the end of the ledger, {@code {"sentinel": true}}. */
  public String publishSentinel() {
    return publish("sentinel-" + UUID.randomUUID(),
        new JsonObject().put("data", new JsonObject().put("sentinel", true)), -1);
  }

  private String publish(String key, JsonObject body, int n) {
    long first = System.nanoTime();
    long backoff = FIRST_BACKOFF_MS;
    String last = "nothing";
    while (System.nanoTime() - first < GIVE_UP.toNanos()) {
      List<Integer> up = ports.get();
      int port = up.get(next % up.size());
      HttpRequest request = HttpRequest.newBuilder(Http.uri(port, "/api/topics/" + topic + "/events"))
          .header("Content-Type", "application/json")
          .header("Idempotency-Key", key)
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
          .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
          noteWait(first, System.nanoTime(), n);
          return new JsonObject(response.body()).getString("id");
        }
        if (response.statusCode() != 503 && response.statusCode() != 504) {
          throw new AssertionError("Publish " + n + " answered " + response.statusCode() + " "
              + response.body());
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException lost) {
        // The reply was lost: the same key is safe to send again.
        last = lost.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      failures.add(java.time.LocalTime.now() + " publish " + n + ": " + last);
      retries++;
      next++;
      ServiceProcess.pause(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
    throw new AssertionError("Publish " + n + " not acknowledged within " + GIVE_UP + "; last: " + last);
  }

  private void noteWait(long first, long acknowledged, int n) {
    waits.add(new Wait(n, first, acknowledged));
    long nanos = acknowledged - first;
    if (nanos > slowestNanos) {
      slowestNanos = nanos;
      slowestNumber = n;
    }
  }

  /** How many publishes were acknowledged so far; readable from any thread. */
  public int ackedCount() {
    return ackedCount;
  }

  /** Idempotency key to acknowledged id, in the order published. */
  public Map<String, String> acked() {
    return acked;
  }

  /** When and how each failed attempt failed. */
  public List<String> failures() {
    return failures;
  }

  public int retries() {
    return retries;
  }

  /** The longest any publish took from its first attempt to its acknowledgement. */
  public Duration slowest() {
    return Duration.ofNanos(slowestNanos);
  }

  /** Every acknowledged publish's wait, in the order published. */
  public List<Wait> waits() {
    return waits;
  }

  /** The number of the publish that took {@link #slowest()}. */
  int slowestNumber() {
    return slowestNumber;
  }
}
