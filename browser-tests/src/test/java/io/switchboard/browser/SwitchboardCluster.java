package io.switchboard.browser;

import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.testing.TestCluster;
import io.switchboard.echo.EchoVerticle;
import io.switchboard.gateway.ClusterView;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.signaling.SignalingServiceConfig;
import io.switchboard.signaling.SignalingVerticle;
import io.switchboard.sse.SseServiceConfig;
import io.switchboard.sse.SseVerticle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SwitchboardCluster is the system the browser tests run against: two gateway nodes and one node
 * each for echo, sse and signaling, every one a clustered Vert.x over real Hazelcast on loopback.
 * It starts once for the whole test run and stops when the run ends.
 */
public final class SwitchboardCluster implements BeforeAllCallback,
    ExtensionContext.Store.CloseableResource {

  private static SwitchboardCluster running;

  private final TestCluster cluster = new TestCluster();
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

  private void start() {
    // Members start in parallel: each takes a few seconds to join.
    CompletableFuture<ClusterNode> echo = CompletableFuture.supplyAsync(() -> deploy(
        cluster.startNode(), node -> new EchoVerticle(node.nodeId())));
    CompletableFuture<ClusterNode> sse = CompletableFuture.supplyAsync(() -> deploy(
        cluster.startNode(), node -> new SseVerticle(node.nodeId(), node.hazelcast(), SseServiceConfig.defaults())));
    CompletableFuture<ClusterNode> signaling = CompletableFuture.supplyAsync(() -> deploy(
        cluster.startNode(), node -> new SignalingVerticle(node, SignalingServiceConfig.defaults())));
    CompletableFuture.allOf(echo, sse, signaling).join();
    ClusterNode a = cluster.startNode();
    ClusterNode b = cluster.startNode();
    gatewayA = new GatewayVerticle(GatewayConfig.defaults(), ClusterView.of(a));
    gatewayB = new GatewayVerticle(GatewayConfig.defaults(), ClusterView.of(b));
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
    return cluster.startNode();
  }

  public void stopNode(ClusterNode node) {
    cluster.stopNode(node);
  }

  public List<String> gatewayNodeIds() {
    return List.of(gatewayNodeA, gatewayNodeB);
  }

  @Override
  public void close() {
    cluster.close();
  }
}
