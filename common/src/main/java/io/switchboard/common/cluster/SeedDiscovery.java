package io.switchboard.common.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SeedDiscovery is the Hazelcast discovery strategy of every member: it finds the other members
 * at the addresses {@link SeedResolver} gives for {@code CLUSTER_MEMBERS}, resolved again each
 * time Hazelcast asks, both to join and to look for other clusters to merge with.
 *
 * <p>The first answer waits for the seed names to settle. Every replica of a scaled deployment
 * starts at once, and a member that joins while its peers are not listening yet finds nobody and
 * makes a cluster of its own, which then has to merge. So before the first join the strategy
 * waits, up to {@link #SETTLE_MAX_MS}, until the names have given the same addresses for
 * {@link #SETTLE_STABLE_MS} and a member listens at each of them: then every replica joins knowing
 * every other one, and Hazelcast's election of a master among them yields one cluster. Seeds that
 * are all IP addresses need no wait.
 *
 * <p>The first answer, which the member joins with, is every candidate address. Later answers serve
 * the search for other clusters, and hold only the addresses that accept a connection.
 */
final class SeedDiscovery extends AbstractDiscoveryStrategy {

  /** How long the seed names must give the same addresses before the first join. */
  static final long SETTLE_STABLE_MS = 2_000;
  /** The longest the first join waits for the seed names to settle. */
  static final long SETTLE_MAX_MS = 20_000;
  private static final long SETTLE_POLL_MS = 250;
  private static final int LISTEN_PROBE_TIMEOUT_MS = 300;

  private final SeedResolver resolver;
  private final String self;
  /** Probes of seed addresses; daemon threads, since a member may stop while one runs. */
  private static final ExecutorService PROBES = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "switchboard-seed-probe");
    thread.setDaemon(true);
    return thread;
  });

  private volatile boolean settled;
  /** Whether the first answer, the one the member joins with, was given. */
  private volatile boolean answered;

  SeedDiscovery(SeedResolver resolver, String self, ILogger logger) {
    super(logger, Map.of());
    this.resolver = resolver;
    this.self = self;
    this.settled = !resolver.hasNames();
  }

  @Override
  public Iterable<DiscoveryNode> discoverNodes() {
    if (!settled) {
      settle();
      settled = true;
    }
    List<InetSocketAddress> candidates = new ArrayList<>(resolver.candidates());
    if (answered) {
      candidates = listening(candidates);
    }
    answered = true;
    List<DiscoveryNode> nodes = new ArrayList<>();
    for (InetSocketAddress candidate : candidates) {
      nodes.add(new SimpleDiscoveryNode(new Address(candidate)));
    }
    return nodes;
  }

  /**
   * The candidates that accept a connection now, probed all at once. Hazelcast's search for other
   * clusters waits up to 5 s for a connection to each address it is given, one after the other: given
   * every probed port of every seed, most of which nobody listens on, one search took minutes, and
   * the parts of a split cluster found each other minutes late.
   */
  private static List<InetSocketAddress> listening(List<InetSocketAddress> candidates) {
    List<CompletableFuture<InetSocketAddress>> probes = candidates.stream()
        .map(candidate -> CompletableFuture.supplyAsync(() -> SeedResolver.listens(candidate, LISTEN_PROBE_TIMEOUT_MS) ? candidate : null, PROBES))
        .toList();
    List<InetSocketAddress> answering = new ArrayList<>();
    for (CompletableFuture<InetSocketAddress> probe : probes) {
      InetSocketAddress address = probe.join();
      if (address != null) {
        answering.add(address);
      }
    }
    return answering;
  }

  private void settle() {
    long start = System.currentTimeMillis();
    long stableSince = start;
    Set<InetSocketAddress> last = null;
    while (System.currentTimeMillis() - start < SETTLE_MAX_MS) {
      Set<InetSocketAddress> now = resolver.namedMembers();
      if (!now.equals(last)) {
        last = now;
        stableSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - stableSince >= SETTLE_STABLE_MS && allListen(now)) {
        getLogger().info("Seed names settled on " + now.size() + " members after "
            + (System.currentTimeMillis() - start) + " ms");
        return;
      }
      try {
        Thread.sleep(SETTLE_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    getLogger().info("Seed names did not settle within " + SETTLE_MAX_MS + " ms; joining with "
        + (last == null ? 0 : last.size()) + " members known");
  }

  private boolean allListen(Set<InetSocketAddress> members) {
    for (InetSocketAddress member : members) {
      if (member.getAddress().getHostAddress().equals(self)) {
        continue;
      }
      if (!SeedResolver.listens(member, LISTEN_PROBE_TIMEOUT_MS)) {
        return false;
      }
    }
    return true;
  }

  /** Factory makes the strategy for a member; Hazelcast's discovery SPI asks for one. */
  static final class Factory implements DiscoveryStrategyFactory {

    private final SeedResolver resolver;
    private final String self;

    Factory(SeedResolver resolver, String self) {
      this.resolver = resolver;
      this.self = self;
    }

    @Override
    public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
      return SeedDiscovery.class;
    }

    @Override
    public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode node, ILogger logger,
        @SuppressWarnings("rawtypes") Map<String, Comparable> properties) {
      return new SeedDiscovery(resolver, self, logger);
    }

    @Override
    public Collection<PropertyDefinition> getConfigurationProperties() {
      return List.of();
    }
  }
}
