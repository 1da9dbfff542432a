package io.switchboard.standalone;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.service.ServiceRunner;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.auth.TokenCommand;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.sse.SseVerticle;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every Switchboard service in one JVM: one clustered node, a single-member Hazelcast cluster
 * unless other members are found, so the embedded run takes the same code path as a deployment.
 *
 * <p>{@code switchboard token ...} instead prints a signed token; see {@link TokenCommand}.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && TokenCommand.NAME.equals(args[0])) {
      // A command-line tool's output is the product: the token goes to standard output.
      System.exit(TokenCommand.run(List.of(args).subList(1, args.length), Env.system(), System.out,
          System.err));
    }
    Env env = embeddedDefaults(System.getenv());
    GatewayVerticle[] gateway = new GatewayVerticle[1];
    ServiceRunner.run("switchboard", env, e -> {
      GatewayConfig gatewayConfig = GatewayConfig.from(e);
      SseServiceConfig sseConfig = SseServiceConfig.from(e);
      SignalingServiceConfig roomConfig = SignalingServiceConfig.from(e);
      return node -> deployAll(node, gatewayConfig, sseConfig, roomConfig, gateway);
    });
    LOG.info("Switchboard is ready on http://localhost:{}", gateway[0].actualPort());
  }

  /**
   * The environment with the embedded process's own defaults: a cluster of one has no member list
   * to wait on, so {@code /ready} does not wait for it to settle unless {@code READY_STABLE_MS} says
   * so. Blank counts as unset here too.
   */
  static Env embeddedDefaults(Map<String, String> system) {
    Map<String, String> values = new HashMap<>(system);
    String stable = values.get("READY_STABLE_MS");
    if (stable == null || stable.isBlank()) {
      values.put("READY_STABLE_MS", "0");
    }
    return new Env(values);
  }

  static Future<?> deployAll(ClusterNode node, GatewayConfig config, SseServiceConfig sseConfig,
      SignalingServiceConfig roomConfig, GatewayVerticle[] gateway) {
    String nodeId = node.nodeId();
    gateway[0] = new GatewayVerticle(config, ClusterView.of(node));
    // Backends first, so the gateway is ready as soon as it listens.
    return Future.all(
            node.vertx().deployVerticle(new EchoVerticle(nodeId)),
            node.vertx().deployVerticle(new SseVerticle(nodeId, node.hazelcast(), sseConfig)),
            node.vertx().deployVerticle(new SignalingVerticle(node, roomConfig)))
        .compose(v -> node.vertx().deployVerticle(gateway[0]));
  }
}
