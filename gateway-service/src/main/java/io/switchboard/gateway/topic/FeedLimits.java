package io.switchboard.gateway.topic;

import java.time.Duration;

/**
 * FeedLimits bound what a topic's feed and its subscribers hold.
 *
 * @param queueMax events held for one subscriber that does not keep up before it is disconnected;
 *     also bounds the events a feed holds while it restores their order
 * @param gapWait how long a feed waits for a missing event before reading it from history
 */
public record FeedLimits(int queueMax, Duration gapWait) {
}
