package io.switchboard.gateway.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * OperatorActions counts the operator controls this gateway carried out, by action:
 * {@code switchboard_operator_actions_total{action}}, with the actions {@link #DELETE_TOPIC},
 * {@link #DISCONNECT_USER}, {@link #REVOKE_USER} and {@link #KICK_PEER}, each from zero.
 */
final class OperatorActions {

  static final String DELETE_TOPIC = "delete-topic";
  static final String DISCONNECT_USER = "disconnect-user";
  static final String REVOKE_USER = "revoke-user";
  static final String KICK_PEER = "kick-peer";

  private static final Map<String, Counter> COUNTERS = List.of(DELETE_TOPIC, DISCONNECT_USER, REVOKE_USER, KICK_PEER)
      .stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
          action -> Counter.builder("switchboard.operator.actions")
              .description("Operator controls carried out through this gateway, by action")
              .tag("action", action).register(Metrics.globalRegistry)));

  private OperatorActions() {
  }

  static void register() {
    // Loading the class registered the counters.
  }

  static void done(String action) {
    COUNTERS.get(action).increment();
  }
}
