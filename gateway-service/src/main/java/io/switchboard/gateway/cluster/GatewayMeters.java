package io.switchboard.gateway.cluster;

import io.switchboard.common.stats.RateMeter;
import io.vertx.core.json.JsonObject;

/**
 * GatewayMeters counts the messages this gateway handles, by kind: echo messages forwarded, SSE
 * events written to streams, topic events written to WebSocket subscriptions, and signaling frames
 * received from browsers.
 */
public final class GatewayMeters {

  private final RateMeter echo = new RateMeter();
  private final RateMeter sse = new RateMeter();
  private final RateMeter topics = new RateMeter();
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

  /** Marked by the WebSocket topic hubs for every event they hand to a subscription. */
  public RateMeter topics() {
    return topics;
  }

  public RateMeter signaling() {
    return signaling;
  }

  /** Rates per second since the previous call: {@code {"echo":..,"sse":..,"topics":..,"signaling":..}}. */
  public JsonObject readRates() {
    return new JsonObject()
        .put("echo", echo.perSecondSinceLastRead())
        .put("sse", sse.perSecondSinceLastRead())
        .put("topics", topics.perSecondSinceLastRead())
        .put("signaling", signaling.perSecondSinceLastRead());
  }
}
