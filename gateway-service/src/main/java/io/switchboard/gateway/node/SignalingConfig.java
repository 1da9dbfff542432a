package io.switchboard.gateway.node;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.time.Duration;
import java.util.List;

/**
 * SignalingConfig holds the gateway's settings for {@code /ws/signaling}, read once from the
 * environment.
 *
 * @param maxMessageBytes largest signaling message; a larger one gets {@code too-large} and the
 *     connection closes with 1009 ({@code SIGNALING_MAX_MESSAGE_BYTES})
 * @param ratePerSecond messages per second a connection may send on average ({@code SIGNALING_RATE_PER_SECOND})
 * @param rateBurst messages a connection may send at once above the average ({@code SIGNALING_RATE_BURST})
 * @param floodLimit rate-limited messages within {@code floodWindow} that close the connection with
 *     1008 ({@code SIGNALING_FLOOD_LIMIT})
 * @param floodWindow the window over which rate-limited messages are counted ({@code SIGNALING_FLOOD_WINDOW_MS})
 * @param maxQueuedFrames frames written to a connection whose send buffer is full before it is
 *     closed with 1008 as not reading ({@code SIGNALING_MAX_QUEUED_FRAMES})
 * @param maxQueuedRequests joins and leaves a connection may queue behind the one in flight; more
 *     get {@code rate-limited} ({@code SIGNALING_MAX_QUEUED_REQUESTS})
 * @param requestTimeout how long a join or leave waits for signaling-service ({@code SIGNALING_REQUEST_TIMEOUT_MS})
 * @param batchMaxMessages most relays and broadcasts sent to another gateway node in one event-bus
 *     message ({@code SIGNALING_BATCH_MAX_MESSAGES})
 * @param stunUrls STUN server URLs sent in {@code welcome} ({@code SIGNALING_STUN_URLS})
 * @param turnUrls TURN server URLs sent in {@code welcome} ({@code SIGNALING_TURN_URLS})
 * @param turnSecret shared secret for TURN REST API credentials, or null ({@code SIGNALING_TURN_SECRET})
 * @param turnTtl lifetime of TURN credentials ({@code SIGNALING_TURN_TTL_SECONDS})
 * @param turnUsername static TURN username when no secret is set, or null ({@code SIGNALING_TURN_USERNAME})
 * @param turnCredential static TURN password when no secret is set, or null ({@code SIGNALING_TURN_CREDENTIAL})
 * @param presenceGapWait how long a presence event that overtook the change before it waits for that
 *     change, 0 for not at all ({@code SIGNALING_PRESENCE_GAP_WAIT_MS})
 * @param mergeSettle how long a peer that joins its room again after a merge or an eviction notice,
 *     and is refused {@code room-full}, keeps trying, once a second, before it is told it is out: the
 *     room's copy from the other side, with the peer in it, may still be merging
 *     ({@code SIGNALING_MERGE_SETTLE_MS})
 */
public record SignalingConfig(
    int maxMessageBytes,
    int ratePerSecond,
    int rateBurst,
    int floodLimit,
    Duration floodWindow,
    int maxQueuedFrames,
    int maxQueuedRequests,
    Duration requestTimeout,
    int batchMaxMessages,
    List<String> stunUrls,
    List<String> turnUrls,
    String turnSecret,
    Duration turnTtl,
    String turnUsername,
    String turnCredential,
    Duration presenceGapWait,
    Duration mergeSettle) {

  public SignalingConfig {
    stunUrls = List.copyOf(stunUrls);
    turnUrls = List.copyOf(turnUrls);
  }

  public static SignalingConfig from(Env env) {
    List<String> stun = env.list("SIGNALING_STUN_URLS", List.of());
    List<String> turn = env.list("SIGNALING_TURN_URLS", List.of());
    for (String url : stun) {
      requireScheme("SIGNALING_STUN_URLS", url, "stun:", "stuns:");
    }
    for (String url : turn) {
      requireScheme("SIGNALING_TURN_URLS", url, "turn:", "turns:");
    }
    String secret = env.raw("SIGNALING_TURN_SECRET");
    String username = env.raw("SIGNALING_TURN_USERNAME");
    String credential = env.raw("SIGNALING_TURN_CREDENTIAL");
    if ((username == null) != (credential == null)) {
      throw new ConfigException("SIGNALING_TURN_USERNAME and SIGNALING_TURN_CREDENTIAL must be set together");
    }
    if (!turn.isEmpty() && secret == null && username == null) {
      // Browsers reject a TURN server without credentials, which would break every call.
      throw new ConfigException("SIGNALING_TURN_URLS needs SIGNALING_TURN_SECRET, or "
          + "SIGNALING_TURN_USERNAME and SIGNALING_TURN_CREDENTIAL");
    }
    return new SignalingConfig(
        env.integer("SIGNALING_MAX_MESSAGE_BYTES", 65536, 256, 16 * 1024 * 1024),
        env.integer("SIGNALING_RATE_PER_SECOND", 50, 1, 100_000),
        env.integer("SIGNALING_RATE_BURST", 100, 1, 100_000),
        env.integer("SIGNALING_FLOOD_LIMIT", 50, 1, 1_000_000),
        env.millis("SIGNALING_FLOOD_WINDOW_MS", 10_000, 100, 3_600_000),
        env.integer("SIGNALING_MAX_QUEUED_FRAMES", 256, 1, 1_000_000),
        env.integer("SIGNALING_MAX_QUEUED_REQUESTS", 8, 1, 1000),
        env.millis("SIGNALING_REQUEST_TIMEOUT_MS", 10_000, 10, 600_000),
        env.integer("SIGNALING_BATCH_MAX_MESSAGES", 256, 1, 65536),
        stun,
        turn,
        secret,
        Duration.ofSeconds(env.integer("SIGNALING_TURN_TTL_SECONDS", 3600, 60, 7 * 24 * 3600)),
        username,
        credential,
        env.millis("SIGNALING_PRESENCE_GAP_WAIT_MS", 1000, 0, 60_000),
        env.millis("SIGNALING_MERGE_SETTLE_MS", 15_000, 1000, 600_000));
  }

  private static void requireScheme(String variable, String url, String... schemes) {
    for (String scheme : schemes) {
      if (url.startsWith(scheme) && url.length() > scheme.length()) {
        return;
      }
    }
    throw new ConfigException(variable, "comma-separated URLs starting with " + String.join(" or ", schemes),
        url);
  }
}
