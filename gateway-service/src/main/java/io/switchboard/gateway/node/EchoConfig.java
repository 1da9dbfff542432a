package io.switchboard.gateway.node;

import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * EchoConfig holds the gateway's settings for {@code /ws/echo} and the batches it forwards to
 * echo-service, read once from the environment.
 *
 * @param timeout how long a WebSocket echo waits for echo-service ({@code ECHO_TIMEOUT_MS})
 * @param maxInFlight echo requests in flight per connection before reading pauses ({@code ECHO_MAX_IN_FLIGHT})
 * @param batchMaxMessages most messages forwarded to echo-service in one batch ({@code ECHO_BATCH_MAX_MESSAGES})
 * @param batchMaxBytes size at which a batch is sent without waiting for the end of the event-loop
 *     turn ({@code ECHO_BATCH_MAX_BYTES})
 */
public record EchoConfig(
    Duration timeout,
    int maxInFlight,
    int batchMaxMessages,
    int batchMaxBytes) {

  public static EchoConfig from(Env env) {
    return new EchoConfig(
        env.millis("ECHO_TIMEOUT_MS", 3000, 10, 600_000),
        env.integer("ECHO_MAX_IN_FLIGHT", 256, 1, 65536),
        env.integer("ECHO_BATCH_MAX_MESSAGES", 256, 1, 65536),
        env.integer("ECHO_BATCH_MAX_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024));
  }
}
