package io.switchboard.it;

import io.switchboard.common.config.Env;
import io.switchboard.gateway.node.GatewayConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * TestConfigs reads a gateway's configuration from variables, the way its Main does: a test sets
 * the variables it cares about and gets the defaults for the rest.
 */
final class TestConfigs {

  private TestConfigs() {
  }

  /** A gateway on loopback and an ephemeral port, with the defaults for everything else. */
  static GatewayConfig gateway() {
    return gateway(Map.of());
  }

  /** A gateway on loopback and an ephemeral port, with {@code variables} set over the defaults. */
  static GatewayConfig gateway(Map<String, String> variables) {
    Map<String, String> values = new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0"));
    values.putAll(variables);
    return GatewayConfig.from(new Env(values));
  }
}
