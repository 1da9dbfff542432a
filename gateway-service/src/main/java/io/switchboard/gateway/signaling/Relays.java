package io.switchboard.gateway.signaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * Relays counts the {@code sdp} and {@code ice-candidate} frames this gateway relayed towards their
 * target peer, on whatever gateway it is: {@code switchboard_signaling_relays_total}. A frame
 * refused (no target, not joined, unknown peer) is not counted. Any thread may count.
 */
public final class Relays {

  private static final Counter RELAYED = Counter.builder("switchboard.signaling.relays")
      .description("sdp and ice-candidate frames relayed towards their target peer")
      .register(Metrics.globalRegistry);

  private Relays() {
  }

  /** Registers the counter, so that it exists from zero before the first relay. */
  public static void register() {
    // Loading the class registered it.
  }

  static void relayed() {
    RELAYED.increment();
  }
}
