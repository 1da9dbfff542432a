package io.switchboard.gateway.cluster;

import io.switchboard.common.stats.RateMeter;
import io.vertx.core.json.JsonObject;

/**
 * GatewayMeters counts the messages this gateway handles, by kind: echo messages forwarded, SSE
 * events written to streams, and signaling frames received from browsers.
 */
public final class GatewayMeters {

  private final RateMeter echo = new RateMeter();
  private final RateMeter sse = new RateMeter();
  private final RateMeter signaling = new RateMeter();

  public RateMeter echo() {
    return echo;
  }

  public RateMeter sse() {
    return sse;
  }

  public RateMeter signaling() {
    return signaling;
  }

  /** Rates per second since the previous call: {@code {"echo":..,"sse":..,"signaling":..}}. */
  public JsonObject readRates() {
    return new JsonObject()
        .put("echo", echo.perSecondSinceLastRead())
        .put("sse", sse.perSecondSinceLastRead())
        .put("signaling", signaling.perSecondSinceLastRead());
  }
}
