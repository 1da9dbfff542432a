package io.switchboard.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
 * event under an idempotency key of its own, retried with the same key after a 503, a 504 or a lost
 * connection, with a backoff that doubles up to a second. Given several gateways, it sends each
 * retry to the next one, as a client behind a load balancer would reach another. It publishes over
 * HTTP ({@code Idempotency-Key}), or over {@code /ws/topics} ({@code ref}, the connection kept until
 * it drops). It keeps the ledger of what was acknowledged, in order, and how long the slowest
 * acknowledgement took.
 */
public final class RetryingPublisher {

  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 1_000;
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private final PublishTransport transport;
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
    this(new HttpPublishTransport(), ports, topic);
  }

  private RetryingPublisher(PublishTransport transport, Supplier<List<Integer>> ports, String topic) {
    this.transport = transport;
    this.ports = ports;
    this.topic = topic;
  }

  /** A publisher over {@code /ws/topics} that asks {@code ports} for the gateways that are up. */
  public static RetryingPublisher overWebSocket(Supplier<List<Integer>> ports, String topic) {
    return new RetryingPublisher(new WebSocketPublishTransport(), ports, topic);
  }

  /** How it publishes: {@code HTTP} or {@code WebSocket}. */
  public String transport() {
    return transport.name();
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
    String id = publish(key, new JsonObject().put("n", n).put("key", key), n);
    acked.put(key, id);
    ackedCount = acked.size();
    return id;
  }

  /** Publishes an event that marks the end of the ledger, {@code {"sentinel": true}}. */
  public String publishSentinel() {
    return publish("sentinel-" + UUID.randomUUID(), new JsonObject().put("sentinel", true), -1);
  }

  private String publish(String key, JsonObject data, int n) {
    long first = System.nanoTime();
    long backoff = FIRST_BACKOFF_MS;
    String last = "nothing";
    while (System.nanoTime() - first < GIVE_UP.toNanos()) {
      List<Integer> up = ports.get();
      int port = up.get(next % up.size());
      try {
        String id = transport.attempt(port, topic, key, data);
        noteWait(first, System.nanoTime(), n);
        return id;
      } catch (PublishTransport.RetryableAnswer answer) {
        last = answer.getMessage();
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

  /** The failed attempts of the publish that took {@link #slowest()}, as {@link #failures()} lists them. */
  public List<String> slowestFailures() {
    String mark = " publish " + slowestNumber + ": ";
    return failures.stream().filter(failure -> failure.contains(mark)).toList();
  }

  /** The number of the publish that took {@link #slowest()}. */
  int slowestNumber() {
    return slowestNumber;
  }
}
