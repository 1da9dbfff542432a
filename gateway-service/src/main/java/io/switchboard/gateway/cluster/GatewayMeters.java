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
  private final RateMeter signaling;

  /**
   * {@code signaling} is marked by the signaling sessions for every frame a browser sends; the SSE
   * hubs mark {@link #sse()} for every event they hand to a stream. Any thread may mark a meter.
   */
  public GatewayMeters(RateMeter signaling) {
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
