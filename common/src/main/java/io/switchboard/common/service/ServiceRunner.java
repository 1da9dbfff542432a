package io.switchboard.common.service;

import io.switchboard.common.cluster.AddressWatch;
import io.switchboard.common.cluster.ClusterBootstrap;
import io.switchboard.common.cluster.ClusterConfig;
import io.switchboard.common.cluster.ClusterNode;
import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.switchboard.common.log.LogFormat;
import io.switchboard.common.metrics.ClusterMetrics;
import io.switchboard.common.metrics.ManagementServer;
import io.switchboard.common.metrics.MetricsConfig;
import io.switchboard.common.metrics.ProcessMetrics;
import com.hazelcast.core.HazelcastInstance;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ServiceRunner is the shared {@code main} of every service: read the environment once, join the
 * cluster, deploy, and leave the cluster cleanly on SIGTERM. An OutOfMemoryError anywhere ends the
 * process (see {@link FatalErrors}). A data member that the cluster dropped while the process stood
 * still joins again as a new member (see {@link MemberRejoin}). A process whose cluster address has
 * left the machine for another exits with {@link #ADDRESS_MOVED_EXIT_CODE} (see {@link AddressWatch}).
 *
 * <p>It runs on the main thread, never on an event loop, so it may wait for start-up to finish.
 */
public final class ServiceRunner {

  /**
   * The exit status of a process whose cluster address left the machine while another came: it
   * cannot be reached at the old one, and only a new process binds the new one.
   */
  public static final int ADDRESS_MOVED_EXIT_CODE = 4;

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);
  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long STOP_TIMEOUT_SECONDS = 20;

  private ServiceRunner() {
  }

  /**
   * Runs a service. {@code configure} reads the service's own variables; it runs before the node
   * joins the cluster, so a bad value stops the process before anything starts.
   */
  public static ClusterNode run(String service, Env env, Function<Env, Deployer> configure) {
    return run(service, env, false, configure, e -> null);
  }

  /**
   * Runs a service as a Hazelcast lite member, which holds no cluster state. It waits for a data
   * member to join, however long that takes; meanwhile the page {@code waiting} makes (if any)
   * answers probes.
   */
  public static ClusterNode runLite(String service, Env env, Function<Env, Deployer> configure,
      Function<Env, WaitingPage> waiting) {
    return run(service, env, true, configure, waiting);
  }

  private static ClusterNode run(String service, Env env, boolean lite,
      Function<Env, Deployer> configure, Function<Env, WaitingPage> waiting) {
    FatalErrors.install();
    try {
      LogFormat.apply(env);
    } catch (ConfigException e) {
      LOG.error("{}: invalid configuration: {}", service, e.getMessage());
      System.exit(2);
    }
    Settings settings = Settings.read(service, env, lite, configure, waiting);
    AtomicReference<ClusterNode> current = new AtomicReference<>(start(service, settings));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ClusterNode node = current.get();
      LOG.info("Stopping {} on node {}", service, node.nodeId());
      closeQuietly(node);
    }, "switchboard-shutdown"));
    // A data member dropped while the process stood still must not merge its stale state back, and
    // a member the others left alone gets a new one rather than waiting minutes for a merge.
    MemberRejoin.watch(service, settings.cluster(), current, () -> start(service, settings),
        ServiceRunner::closeQuietly);
    String host = settings.cluster().host();
    AddressWatch.start(host, addresses -> {
      LOG.error("{}: the cluster address {} has left this machine, which now has {}: no member can"
          + " reach this one at the old address. Exiting with {} to be started anew on the new one",
          service, host, addresses, ADDRESS_MOVED_EXIT_CODE);
      System.exit(ADDRESS_MOVED_EXIT_CODE);
    });
    return current.get();
  }

  /**
   * Joins the cluster and deploys the service, joining again as a new member when the cluster calls
   * of a start do not complete in time (see {@link StartAttempts}); exits the process when every
   * attempt fails, or one fails for another reason.
   */
  private static ClusterNode start(String service, Settings settings) {
    long started = System.nanoTime();
    ProcessConfig process = settings.process();
    StartAttempts<ClusterNode> attempts = new StartAttempts<>(service, process.startAttempts(),
        process.startAttemptTimeout(), () -> joinAs(service, settings), settings.deployer()::deploy,
        ServiceRunner::drop);
    ClusterNode node;
    try {
      node = attempts.start();
    } catch (StartAttempts.StartFailed e) {
      LOG.error("{}", e.getMessage(), e.getCause());
      System.exit(1);
      return null;
    }
    serveManagement(service, settings.metrics(), node);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info("Started {} on node {} in cluster '{}' at {} ({} members) in {} ms; {} event loops, {} transport",
        service, node.nodeId(), settings.cluster().name(), settings.cluster().host(),
        node.clusterManager().getNodes().size(), millis, process.eventLoops(),
        node.vertx().isNativeTransportEnabled() ? "native" : "NIO");
    return node;
  }

  private static ClusterNode joinAs(String service, Settings settings) {
    ClusterNode node = join(settings);
    LogFormat.identify(service, node.nodeId());
    FatalErrors.install(node.vertx());
    return node;
  }

  /** Leaves the cluster at once, handing nothing over, and closes the node's Vert.x. */
  private static void drop(ClusterNode node) {
    node.hazelcast().getLifecycleService().terminate();
    closeQuietly(node);
  }

  /** Everything a service reads from the environment before it joins; a bad value exits with 2. */
  private record Settings(ClusterConfig cluster, ProcessConfig process, MetricsConfig metrics, Deployer deployer,
      WaitingPage page) {

    static Settings read(String service, Env env, boolean lite, Function<Env, Deployer> configure,
        Function<Env, WaitingPage> waiting) {
      try {
        return new Settings(ClusterConfig.from(env).asLiteMember(lite), ProcessConfig.from(env),
            MetricsConfig.from(env), configure.apply(env), waiting.apply(env));
      } catch (ConfigException e) {
        LOG.error("{}: invalid configuration: {}", service, e.getMessage());
        System.exit(2);
        return null;
      }
    }
  }

  private static ClusterNode join(Settings settings) {
    WaitingPage page = settings.page();
    Consumer<HazelcastInstance> onWaiting = page == null ? hazelcast -> { }
        : hazelcast -> new Thread(() -> page.open(hazelcast), "switchboard-waiting-page").start();
    try {
      // A lite member may wait for a data member for as long as it takes.
      // Each start gets a fresh registry: a node that joins again is a new member, with new Vert.x metrics.
      var joining = ClusterBootstrap.start(settings.cluster(), settings.process().vertxOptions(), onWaiting,
              ProcessMetrics.create(settings.metrics()))
          .toCompletionStage().toCompletableFuture();
      ClusterNode node = settings.cluster().liteMember() ? joining.get()
          : joining.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (page != null) {
        page.close();
      }
      return node;
    } catch (Exception e) {
      LOG.error("Could not join cluster {} on {}: {}", settings.cluster().name(), settings.cluster().host(),
          e.toString());
      System.exit(1);
      return null;
    }
  }

  /** Serves metrics and probes; a process that cannot bind any management port serves on without. */
  private static void serveManagement(String service, MetricsConfig config, ClusterNode node) {
    ClusterMetrics.bind(node);
    try {
      ManagementServer.start(service, node, config, node.metrics()).toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("{}: no management port: /metrics, /health and /ready are not served: {}", service, e.toString());
    }
  }

  private static void closeQuietly(ClusterNode node) {
    try {
      node.vertx().close().toCompletionStage().toCompletableFuture()
          .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown did not finish cleanly: {}", e.toString());
    }
  }
}
