package io.switchboard.browser;

import io.switchboard.common.cluster.ClusterBootstrap;
import io.switchboard.common.cluster.ClusterConfig;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.Env;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.node.ClusterView;
import io.switchboard.gateway.node.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.sse.SseVerticle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SwitchboardCluster is the system the browser tests run against: two gateway nodes and one node
 * each for echo, sse and signaling, every one a clustered Vert.x over real Hazelcast on loopback.
 * It starts once for the whole test run and stops when the run ends.
 *
 * <p>Members join through the first member's actual port rather than the default seed range, so
 * the cluster forms even when other processes on the machine hold the usual Hazelcast ports, and
 * they tolerate 30 s without heartbeats, so a CPU-starved machine running browsers does not split it.
 */
public final class SwitchboardCluster implements BeforeAllCallback,
    ExtensionContext.Store.CloseableResource {

  private static SwitchboardCluster running;

  private static final int MAX_NO_HEARTBEAT_SECONDS = 30;

  private final String name = "sb-browser-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ClusterNode> nodes = new ArrayList<>();
  private ClusterConfig joinConfig;
  private GatewayVerticle gatewayA;
  private GatewayVerticle gatewayB;
  private String gatewayNodeA;
  private String gatewayNodeB;

  /** The running cluster; tests get it after the extension has started it. */
  public static synchronized SwitchboardCluster get() {
    if (running == null) {
      throw new IllegalStateException("Annotate the test class with @ExtendWith(SwitchboardCluster.class)");
    }
    return running;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (SwitchboardCluster.class) {
      if (running == null) {
        SwitchboardCluster started = new SwitchboardCluster();
        started.start();
        running = started;
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .put(SwitchboardCluster.class.getName(), started);
      }
    }
  }

  private ClusterNode join(ClusterConfig config) {
    ClusterNode node = TestCluster.await(ClusterBootstrap.start(config), Duration.ofSeconds(90));
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  private void start() {
    ClusterNode seed = join(new ClusterConfig(name, "127.0.0.1", ClusterConfig.DEFAULT_PORT,
        List.of("127.0.0.1"), 0, 1, MAX_NO_HEARTBEAT_SECONDS));
    int seedPort = seed.hazelcast().getCluster().getLocalMember().getAddress().getPort();
    joinConfig = new ClusterConfig(name, "127.0.0.1", ClusterConfig.DEFAULT_PORT,
        List.of("127.0.0.1:" + seedPort), 0, 1, MAX_NO_HEARTBEAT_SECONDS);
    deploy(seed, node -> new EchoVerticle(node.nodeId()));
    // The other members start in parallel: each takes a few seconds to join.
    CompletableFuture<ClusterNode> echo = CompletableFuture.completedFuture(seed);
    CompletableFuture<ClusterNode> sse = CompletableFuture.supplyAsync(() -> deploy(
        startNode(), node -> new SseVerticle(node.nodeId(), node.hazelcast(), SseServiceConfig.defaults())));
    CompletableFuture<ClusterNode> signaling = CompletableFuture.supplyAsync(() -> deploy(
        startNode(), node -> new SignalingVerticle(node, SignalingServiceConfig.from(new io.switchboard.common.config.Env(java.util.Map.of())))));
    CompletableFuture.allOf(echo, sse, signaling).join();
    CompletableFuture<ClusterNode> startA = CompletableFuture.supplyAsync(this::startNode);
    ClusterNode b = startNode();
    ClusterNode a = startA.join();
    int members = a.clusterManager().getNodes().size();
    if (members != 5) {
      throw new IllegalStateException("Expected one cluster of 5 members, gateway A sees " + members);
    }
    GatewayConfig loopback = GatewayConfig.from(new Env(Map.of("HTTP_PORT", "0", "HTTP_HOST", "127.0.0.1")));
    gatewayA = new GatewayVerticle(loopback, ClusterView.of(a));
    gatewayB = new GatewayVerticle(loopback, ClusterView.of(b));
    TestCluster.await(a.vertx().deployVerticle(gatewayA));
    TestCluster.await(b.vertx().deployVerticle(gatewayB));
    gatewayNodeA = a.nodeId();
    gatewayNodeB = b.nodeId();
  }

  private static ClusterNode deploy(ClusterNode node,
      java.util.function.Function<ClusterNode, io.vertx.core.Deployable> verticle) {
    TestCluster.await(node.vertx().deployVerticle(verticle.apply(node)), Duration.ofSeconds(60));
    return node;
  }

  /** The base URL of gateway A, e.g. {@code http://127.0.0.1:41234}. */
  public String gatewayA() {
    return "http://127.0.0.1:" + gatewayA.actualPort();
  }

  public String gatewayB() {
    return "http://127.0.0.1:" + gatewayB.actualPort();
  }

  /** Starts one more member, for tests that restart or stop things of their own. */
  public ClusterNode startNode() {
    return join(joinConfig);
  }

  public void stopNode(ClusterNode node) {
    synchronized (nodes) {
      nodes.remove(node);
    }
    TestCluster.await(node.vertx().close(), Duration.ofSeconds(30));
  }

  public List<String> gatewayNodeIds() {
    return List.of(gatewayNodeA, gatewayNodeB);
  }

  @Override
  public void close() {
    List<ClusterNode> remaining;
    synchronized (nodes) {
      remaining = new ArrayList<>(nodes);
      nodes.clear();
    }
    for (ClusterNode node : remaining) {
      try {
        TestCluster.await(node.vertx().close(), Duration.ofSeconds(30));
      } catch (AssertionError ignored) {
        // Best effort at the end of the run: the cluster name is never used again.
      }
    }
  }
}
