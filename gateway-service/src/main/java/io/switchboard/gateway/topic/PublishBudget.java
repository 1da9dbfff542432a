package io.switchboard.gateway.topic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * PublishBudget bounds the request bodies of publishes a gateway node holds at once
 * ({@code SSE_PUBLISH_MAX_IN_FLIGHT_BYTES}), from before a body is read until its answer is sent.
 *
 * <p>A publish holds its body several times over while it is stored: the bytes received, the parsed
 * JSON, the data encoded again and the event-bus message. When sse-service is slower than the
 * clients, publishes wait for it, and without a bound a flood of large ones fills the heap. Past
 * the budget a publish is answered {@code 503} at once, before its body is read. Shared by the
 * node's event loops; safe from any thread.
 */
public final class PublishBudget {

  private final long max;
  private final AtomicLong held = new AtomicLong();

  public PublishBudget(long max) {
    this.max = max;
  }

  /** Takes {@code bytes} from the budget; false, taking nothing, when they do not fit. */
  public boolean reserve(long bytes) {
    long now;
    do {
      now = held.get();
      if (now + bytes > max) {
        return false;
      }
    } while (!held.compareAndSet(now, now + bytes));
    return true;
  }

  /** Gives back what a {@link #reserve} took. */
  public void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Bytes held now. */
  public long held() {
    return held.get();
  }
}
