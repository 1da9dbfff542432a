package io.switchboard.gateway.node;

import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * SseConfig holds the gateway's SSE settings, read once from the environment.
 *
 * @param heartbeat period of the heartbeat comment on every stream ({@code SSE_HEARTBEAT_MS})
 * @param clientQueueMax events held for one subscriber that does not keep up before it is
 *     disconnected; also bounds the events held per topic while their order is restored
 *     ({@code SSE_CLIENT_QUEUE_MAX})
 * @param maxBodyBytes largest publish request body ({@code SSE_MAX_BODY_BYTES})
 * @param requestTimeout how long a publish or history read waits for sse-service ({@code SSE_REQUEST_TIMEOUT_MS})
 * @param gapWait how long a gateway waits for a missing event before reading it from history ({@code SSE_GAP_WAIT_MS})
 * @param topicTtl how long sse-service keeps a topic without events or subscribers; the gateway
 *     reports its subscribed topics every quarter of it ({@code SSE_TOPIC_TTL_SECONDS})
 * @param publishMaxInFlightBytes request bodies of publishes the gateway holds at once, received or
 *     waiting for sse-service ({@code SSE_PUBLISH_MAX_IN_FLIGHT_BYTES})
 * @param queuedMaxBytes bytes of events the gateway holds for streams whose clients do not read fast
 *     enough, all together, each event once ({@code SSE_QUEUED_MAX_BYTES})
 */
public record SseConfig(
    Duration heartbeat,
    int clientQueueMax,
    int maxBodyBytes,
    Duration requestTimeout,
    Duration gapWait,
    Duration topicTtl,
    int publishMaxInFlightBytes,
    int queuedMaxBytes) {

  public static SseConfig from(Env env) {
    int maxBody = env.integer("SSE_MAX_BODY_BYTES", 65536, 64, 16 * 1024 * 1024);
    return new SseConfig(
        env.millis("SSE_HEARTBEAT_MS", 15_000, 100, 3_600_000),
        env.integer("SSE_CLIENT_QUEUE_MAX", 1000, 1, 1_000_000),
        maxBody,
        env.millis("SSE_REQUEST_TIMEOUT_MS", 3000, 10, 600_000),
        env.millis("SSE_GAP_WAIT_MS", 500, 1, 60_000),
        Duration.ofSeconds(env.integer("SSE_TOPIC_TTL_SECONDS", 3600, 1, 365 * 24 * 3600)),
        // At least one body of the largest size, or such a publish could never be taken.
        env.integer("SSE_PUBLISH_MAX_IN_FLIGHT_BYTES", Math.max(8 << 20, maxBody), maxBody, 1 << 30),
        // At least a few events of the largest size, each held as text and as its encoded frame.
        env.integer("SSE_QUEUED_MAX_BYTES", Math.max(64 << 20, 8 * maxBody), Math.max(1 << 20, 8 * maxBody),
            Integer.MAX_VALUE));
  }
}
