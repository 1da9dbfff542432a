package io.switchboard.gateway.cluster;

import io.switchboard.common.stats.RateMeter;
import io.vertx.core.json.JsonObject;

/**
 * GatewayMeters counts the messages this gateway handles, by kind: echo messages forwarded, SSE
 * events written to streams, and signaling frames received from browsers.
 */
public final class GatewayMeters {

  private final RateMeter echo = new RateMeter();
  private final RateMeter sse;
  private final RateMeter signaling;

  /**
   * {@code sse} is marked by the SSE hub for every event it hands to a stream, {@code signaling}
   * by the signaling sessions for every frame a browser sends.
   */
  public GatewayMeters(RateMeter sse, RateMeter signaling) {
    this.sse = sse;
    this.signaling = signaling;
  }

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
