package io.switchboard.gateway;

import io.switchboard.common.config.Env;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.node.SignalingConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * TestConfigs reads configurations from variables, the way Main does: a test sets the variables it
 * cares about and gets the defaults for the rest, so that it goes through the same checks.
 */
public final class TestConfigs {

  private TestConfigs() {
  }

  /** A gateway on loopback and an ephemeral port, with the defaults for everything else. */
  public static GatewayConfig gateway() {
    return gateway(Map.of());
  }

  /** A gateway on loopback and an ephemeral port, with {@code variables} set over the defaults. */
  public static GatewayConfig gateway(Map<String, String> variables) {
    Map<String, String> values = new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0"));
    values.putAll(variables);
    return GatewayConfig.from(new Env(values));
  }

  /** The gateway's signaling settings, all defaults. */
  public static SignalingConfig signaling() {
    return signaling(Map.of());
  }

  /** The gateway's signaling settings, with {@code variables} set over the defaults. */
  public static SignalingConfig signaling(Map<String, String> variables) {
    return SignalingConfig.from(new Env(variables));
  }
}
