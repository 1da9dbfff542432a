package io.switchboard.common.testing;

import io.switchboard.common.cluster.ClusterBootstrap;
import io.switchboard.common.cluster.ClusterConfig;
import io.switchboard.common.cluster.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * TestCluster starts real clustered Vert.x nodes over Hazelcast on loopback, under a random cluster
 * name so concurrent test runs never join each other. Waiting is done on the test thread, never on
 * an event loop.
 */
public final class TestCluster implements AutoCloseable {

  /** Members take consecutive ports from the base; the first ones serve as seeds. */
  private static final int SEEDS = 10;

  private final String name = "sb-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final int basePort = freeBasePort();
  private final List<ClusterNode> nodes = new ArrayList<>();
  private volatile int minDataMembers = 1;

  public String name() {
    return name;
  }

  /**
   * Members started from now on refuse writes to history and rooms while they see fewer than
   * {@code min} data members ({@code CLUSTER_MIN_DATA_MEMBERS}); every member should be started so.
   */
  public TestCluster requireDataMembers(int min) {
    this.minDataMembers = min;
    return this;
  }

  /**
   * Loopback, under this cluster's name, on ports of its own: on a shared host, clusters of
   * concurrent test runs would otherwise crowd Hazelcast's default ports, where members probe each
   * other, and some members would not find their cluster.
   */
  public ClusterConfig config() {
    ClusterConfig loopback = loopback(name);
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < SEEDS; i++) {
      seeds.add(loopback.host() + ":" + (basePort + i));
    }
    return new ClusterConfig(name, loopback.host(), basePort, seeds, loopback.busPort(),
        loopback.heartbeatIntervalSeconds(), loopback.maxNoHeartbeatSeconds())
        .withMinDataMembers(minDataMembers);
  }

  /** A random port from 20000 to 31999 that is free now, below the usual ephemeral range. */
  private static int freeBasePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // Try another one.
      }
    }
    return ClusterConfig.DEFAULT_PORT;
  }

  /** Starts and returns a new member. */
  public ClusterNode startNode() {
    ClusterNode node = await(ClusterBootstrap.start(config()), Duration.ofSeconds(90));
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  /** Starts and returns a new lite member, as a gateway or an echo service is: it holds no data. */
  public ClusterNode startLiteNode() {
    ClusterNode node = await(ClusterBootstrap.start(config().asLiteMember(true)), Duration.ofSeconds(90));
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  /** Leaves the cluster gracefully, as on SIGTERM. */
  public void stopNode(ClusterNode node) {
    synchronized (nodes) {
      nodes.remove(node);
    }
    await(node.vertx().close(), Duration.ofSeconds(30));
  }

  /**
   * Terminates the member's Hazelcast instance without a graceful leave, as a crash would, then
   * releases the Vert.x instance. Other members must detect the loss by themselves.
   */
  public void crashNode(ClusterNode node) {
    synchronized (nodes) {
      nodes.remove(node);
    }
    node.hazelcast().getLifecycleService().terminate();
    try {
      node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // The cluster manager is gone already; whatever close reports does not matter here.
    }
  }

  /** Deploys and waits. */
  /** A single-host configuration: loopback, a given cluster name, fast failure detection. */
  public static ClusterConfig loopback(String name) {
    return new ClusterConfig(name, "127.0.0.1", ClusterConfig.DEFAULT_PORT, java.util.List.of("127.0.0.1"), 0, 1, 5);
  }

  public static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("Future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("Future did not complete in " + timeout + ": " + e, e);
    }
  }

  public static <T> T await(Future<T> future) {
    return await(future, Duration.ofSeconds(30));
  }

  /**
   * Starts {@code chain} on a Vert.x context of {@code vertx} and returns the future of its outcome,
   * which the test thread may then await.
   *
   * <p>Vert.x objects (an HTTP client's request and response, a WebSocket, a NetSocket) are used on
   * their context. A chain built on the test thread, such as {@code
   * client.request(options).compose(r -> r.send()).compose(response -> response.body())}, adds each
   * callback from the test thread while the event loop may already be completing the future it
   * waits on. A callback added from outside a future's context after the future completed does not
   * run then but is queued as a later task on that context; by the time {@code response.body()}
   * runs there, the event loop may have handled the whole response, its end included, with no one
   * to take it, and the body never completes. The same goes for a WebSocket's or NetSocket's
   * handlers set after it connected. Started on a context, the chain adds each callback before its
   * future can complete, and each runs as the future completes.
   */
  public static <T> Future<T> onContext(Vertx vertx, Supplier<Future<T>> chain) {
    Promise<T> outcome = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        chain.get().onComplete(outcome);
      } catch (Throwable e) {
        // An assertion or any other failure in the chain's first step fails the outcome at once.
        outcome.fail(e);
      }
    });
    return outcome.future();
  }

  /** Runs {@code chain} on a Vert.x context, as {@link #onContext} does, and awaits its outcome. */
  public static <T> T awaitOn(Vertx vertx, Supplier<Future<T>> chain, Duration timeout) {
    return await(onContext(vertx, chain), timeout);
  }

  /** Runs {@code chain} on a Vert.x context, as {@link #onContext} does, and awaits its outcome. */
  public static <T> T awaitOn(Vertx vertx, Supplier<Future<T>> chain) {
    return await(onContext(vertx, chain));
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
        node.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Best effort: the next test uses a different cluster name anyway.
      }
    }
  }
}
