package io.switchboard.gateway.node;

import io.switchboard.common.config.Env;
import java.time.Duration;

/**
 * TopicSocketConfig holds the gateway's settings for topics over WebSocket ({@code /ws/topics}),
 * read once from the environment. Events held for a subscription that does not keep up, and the
 * timeouts of publishes and history reads, are SSE's ({@code SSE_CLIENT_QUEUE_MAX},
 * {@code SSE_QUEUED_MAX_BYTES}, {@code SSE_REQUEST_TIMEOUT_MS}): both transports serve the same
 * topics.
 *
 * @param maxSubscriptions topics one connection may subscribe to at once; more get
 *     {@code too-many-subscriptions} ({@code WS_TOPICS_MAX_SUBSCRIPTIONS})
 * @param ratePerSecond messages per second a connection may send on average ({@code WS_TOPICS_RATE_PER_SECOND})
 * @param rateBurst messages a connection may send at once above the average ({@code WS_TOPICS_RATE_BURST})
 * @param floodLimit rate-limited messages within {@code floodWindow} that close the connection with
 *     1008 ({@code WS_TOPICS_FLOOD_LIMIT})
 * @param floodWindow the window over which rate-limited messages are counted ({@code WS_TOPICS_FLOOD_WINDOW_MS})
 * @param maxPublishesInFlight publishes of one connection waiting for sse-service at once; past it
 *     the gateway stops reading the connection until one is answered ({@code WS_TOPICS_MAX_PUBLISHES_IN_FLIGHT})
 * @param maxQueuedFrames replies and errors written to a connection whose send buffer is full
 *     before it is closed with 1008 as not reading ({@code WS_TOPICS_MAX_QUEUED_FRAMES})
 */
public record TopicSocketConfig(
    int maxSubscriptions,
    int ratePerSecond,
    int rateBurst,
    int floodLimit,
    Duration floodWindow,
    int maxPublishesInFlight,
    int maxQueuedFrames) {

  public static TopicSocketConfig from(Env env) {
    return new TopicSocketConfig(
        env.integer("WS_TOPICS_MAX_SUBSCRIPTIONS", 128, 1, 100_000),
        env.integer("WS_TOPICS_RATE_PER_SECOND", 100, 1, 100_000),
        env.integer("WS_TOPICS_RATE_BURST", 200, 1, 100_000),
        env.integer("WS_TOPICS_FLOOD_LIMIT", 100, 1, 1_000_000),
        env.millis("WS_TOPICS_FLOOD_WINDOW_MS", 10_000, 100, 3_600_000),
        env.integer("WS_TOPICS_MAX_PUBLISHES_IN_FLIGHT", 32, 1, 10_000),
        env.integer("WS_TOPICS_MAX_QUEUED_FRAMES", 256, 1, 1_000_000));
  }
}
