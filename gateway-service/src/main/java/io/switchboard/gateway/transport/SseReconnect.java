package io.switchboard.gateway.transport;

import io.switchboard.common.sse.EventTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SseReconnect is the last event of a stream the gateway ends because it is going away: a
 * {@code reconnect} event, for topic streams and the cluster view stream alike.
 *
 * <p>It carries no {@code id}, so the position a client resumes from stays that of the last topic
 * event it received. Its {@code retry:} line spreads the reconnects of plain EventSource clients,
 * which would otherwise all come back after the browser's fixed delay at the same instant; each
 * stream gets its own time in [{@link #RETRY_MIN_MS}, {@link #RETRY_MIN_MS} + {@link #RETRY_SPREAD_MS}).
 * The SDK does not wait for the end of the stream: it closes it at once and reconnects after a
 * delay drawn from its own jittered backoff.
 */
public final class SseReconnect {

  /** The reason of a reconnect asked because the gateway shuts down. */
  public static final String SHUTDOWN = "shutdown";
  /** The reason of a reconnect asked because an operator disconnected the stream's user. */
  public static final String DISCONNECTED = "disconnected";
  /** The shortest reconnection time given, so that clients never retry in a tight loop. */
  public static final long RETRY_MIN_MS = 500;
  /** How far the reconnection times are spread above {@link #RETRY_MIN_MS}. */
  public static final long RETRY_SPREAD_MS = 2500;

  private SseReconnect() {
  }

  /** The event that ends a stream on shutdown, with a reconnection time of its own. */
  public static Buffer shutdown() {
    return frame(SHUTDOWN, RETRY_MIN_MS + ThreadLocalRandom.current().nextLong(RETRY_SPREAD_MS));
  }

  /** The event that ends a stream whose user an operator disconnected. */
  public static Buffer disconnected() {
    return frame(DISCONNECTED, RETRY_MIN_MS + ThreadLocalRandom.current().nextLong(RETRY_SPREAD_MS));
  }

  /** {@code event: reconnect} with {@code {"reason": reason}} and {@code retry: retryMillis}. */
  public static Buffer frame(String reason, long retryMillis) {
    return SseWriter.event(null, EventTypes.RECONNECT, new JsonObject().put("reason", reason).encode(),
        retryMillis);
  }
}
