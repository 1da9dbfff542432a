package io.switchboard.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.switchboard.common.limits.UserConnectionMaps;
import io.switchboard.common.metrics.ProcessMetrics;
import io.switchboard.common.topics.PresenceMaps;
import io.switchboard.common.signaling.RoomMaps;
import io.switchboard.common.sse.history.HistoryMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * ClusterBootstrap turns a {@link ClusterConfig} into a clustered Vert.x node.
 *
 * <p>Hazelcast and the event bus bind and advertise the same explicit address. Left to defaults, a
 * cluster can form while the event bus advertises an address other members cannot reach, and then
 * every remote request silently times out.
 *
 * <p>Every node's event bus marks and checks the bus protocol version ({@link BusProtocol}).
 */
public final class ClusterBootstrap {

  /** Ports tried after {@code CLUSTER_PORT} when it is taken, so many nodes can share a host. */
  static final int PORT_COUNT = 100;
  /** Ports probed on a seed given without a port: enough for a handful of nodes on one host. */
  static final int SEED_PORT_TRY_COUNT = 10;
  /** Period of the search for clusters that formed apart and should merge. */
  static final int MERGE_CHECK_SECONDS = 5;
  /** Bound on a mastership claim, and the tries of each member asked to accept it (see below). */
  static final int MASTERSHIP_CLAIM_TIMEOUT_SECONDS = 40;
  /** Hazelcast call timeout: a call with a lost answer fails after twice this without heartbeat. */
  static final int OPERATION_CALL_TIMEOUT_MS = 15_000;
  /** Pause between reconnects to a member whose connection failed. */
  static final int RECONNECT_INTERVAL_MS = 20;
  /** Time given to a connection attempt to another member. */
  static final int CONNECT_TIMEOUT_SECONDS = 2;
  /** Seconds before a partition migration whose answer is lost fails and is planned again. */
  static final int MIGRATION_TIMEOUT_SECONDS = 10;
  /** Hazelcast's system property for waking an output thread through its selector. */
  static final String SELECTION_KEY_WAKEUP = "hazelcast.io.selectionKeyWakeupEnabled";

  private ClusterBootstrap() {
  }

  /** Starts a clustered Vert.x node. */
  public static Future<ClusterNode> start(ClusterConfig config) {
    return start(config, new VertxOptions());
  }

  public static Future<ClusterNode> start(ClusterConfig config, VertxOptions options) {
    return start(config, options, hazelcast -> { });
  }

  /**
   * Starts a clustered Vert.x node. A lite member completes only once a data member is in the
   * cluster, and calls {@code onWaiting} with its Hazelcast member (on a cluster thread) if it has to
   * wait for one.
   */
  public static Future<ClusterNode> start(ClusterConfig config, VertxOptions options,
      Consumer<HazelcastInstance> onWaiting) {
    return start(config, options, onWaiting, ProcessMetrics.disabled());
  }

  /** Starts a clustered Vert.x node whose Vert.x and JVM metrics go to {@code metrics}. */
  public static Future<ClusterNode> start(ClusterConfig config, VertxOptions options,
      Consumer<HazelcastInstance> onWaiting, ProcessMetrics metrics) {
    Config hz = hazelcastConfig(config);
    HazelcastClusterManager manager = config.liteMember()
        ? new LiteClusterManager(hz, onWaiting)
        : new MembershipAwareClusterManager(hz);
    EventBusOptions bus = options.getEventBusOptions()
        .setHost(config.host())
        .setPort(config.busPort())
        .setClusterPublicHost(config.host());
    options.setEventBusOptions(bus);
    return metrics.install(Vertx.builder().with(options), options)
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> {
          // Before any service is deployed, so that no message goes out unmarked or comes in unchecked.
          BusProtocol.install(vertx.eventBus());
          return new ClusterNode(vertx, manager, config, metrics);
        });
  }

  /** The Hazelcast configuration: Vert.x's defaults plus our network and failure detection. */
  public static Config hazelcastConfig(ClusterConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    failureDetection(hz, config);
    mergeAndJoinTiming(hz);
    network(hz, config);
    hz.setLiteMember(config.liteMember());
    hz.getMemberAttributeConfig().setAttribute(BusProtocol.MEMBER_ATTRIBUTE,
        String.valueOf(BusProtocol.VERSION));
    RoomMaps.configure(hz);
    HistoryMaps.configure(hz);
    UserConnectionMaps.configure(hz);
    PresenceMaps.configure(hz);
    DataQuorum.protect(hz, config.minDataMembers(), HistoryMaps.HISTORY, RoomMaps.ROOMS);
    return hz;
  }

  private static void failureDetection(Config hz, ClusterConfig config) {
    // Detect a killed member in seconds, not minutes: heartbeat every second, drop after silence.
    hz.setProperty("hazelcast.heartbeat.interval.seconds",
        String.valueOf(config.heartbeatIntervalSeconds()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds",
        String.valueOf(config.maxNoHeartbeatSeconds()));
    hz.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    hz.setProperty("hazelcast.member.list.publish.interval.seconds", "5");
    // A member that lost its master claims to lead the members it can still reach, and asks each
    // member it does not suspect yet to accept it. A member that has not noticed the master's
    // silence yet (each checks its own heartbeats, up to about two seconds apart) answers "not
    // yet", and is asked again every 100 ms for as many tries as this timeout has seconds, after
    // five quick ones; one that still says no, or never answers, is left out of the new member
    // list. Hazelcast's 120 s keeps a member cut off from every other one that long in its old
    // member list, neither in the majority nor alone; 10 s left members that were a second late
    // out, and a frozen master split the cluster. 40 s asks for about 3.5 s.
    hz.setProperty("hazelcast.mastership.claim.timeout.seconds",
        String.valueOf(Math.max(MASTERSHIP_CLAIM_TIMEOUT_SECONDS, 8 * config.maxNoHeartbeatSeconds())));
    // A killed process's peers see its connections reset at once. Two failed reconnects in a row
    // make a member suspect it without waiting for the heartbeat timeout: refused while its
    // address is up (a container's stays up only tens of milliseconds), timed out after 2 s (not
    // Hazelcast's 10 s) once it is gone. A member that holds a live connection is never suspected.
    hz.setProperty("hazelcast.connection.monitor.interval", String.valueOf(RECONNECT_INTERVAL_MS));
    hz.setProperty("hazelcast.connection.monitor.max.faults", "1");
    hz.setProperty("hazelcast.socket.connect.timeout.seconds", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    // Operations on partitions of a dropped member are retried until the backups are promoted;
    // retry every 100 ms rather than every 500 ms, for as long in total as Hazelcast's default.
    hz.setProperty("hazelcast.invocation.retry.pause.millis", "100");
    hz.setProperty("hazelcast.invocation.max.retry.count", "1250");
    // A call whose answer is lost (the connection to a live member dropped mid-call) fails once no
    // operation heartbeat has come for it for twice this timeout: 30 s, not Hazelcast's 120 s.
    // Calls that run longer are kept alive by the heartbeats, sent every quarter of it.
    hz.setProperty("hazelcast.operation.call.timeout.millis", String.valueOf(OPERATION_CALL_TIMEOUT_MS));
    // A migration is the master's call to the partition's owner, and the owner's to the new one,
    // each with this timeout, 300 s by default: one whose message or answer was lost (the sender's
    // output thread was stuck on a frozen member) holds its partition migrating, its table stale and
    // its missing backup unmade for five minutes. A migration that is still running sends operation
    // heartbeats and is not cut short; a lost one now fails after this plus the heartbeat timeout
    // (about 40 s) and is planned again.
    hz.setProperty("hazelcast.partition.migration.timeout", String.valueOf(MIGRATION_TIMEOUT_SECONDS));
  }

  private static void mergeAndJoinTiming(Config hz) {
    // Join quickly: the default waits 5 s before the first join attempt.
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    // Members that start apart can still form separate clusters (a seed name that did not settle,
    // a member that was partitioned away): look for other clusters to merge with every few
    // seconds, not after 5 minutes. Discovery resolves the seed names again for every search.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(MERGE_CHECK_SECONDS));
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(MERGE_CHECK_SECONDS));
  }

  private static void network(Config hz, ClusterConfig config) {
    wakeIoThreadsThroughTheirTaskQueues();
    hz.setProperty("hazelcast.socket.bind.any", "false");
    // Bind and advertise exactly CLUSTER_HOST. The address is forced by this property rather than
    // by the interface list, because Hazelcast also filters the addresses a seed name resolves to
    // through that list: restricted to our own address, a seed name shared by several containers
    // (a scaled compose service) would resolve to nothing but ourselves and the cluster would
    // never form. An open interface list keeps every address of such a name.
    hz.setProperty("hazelcast.local.localAddress", config.host());

    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    network.getInterfaces().setEnabled(true).clear().addInterface("*.*.*.*");
    network.setPublicAddress(config.host());

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    // Hazelcast's own TCP-IP join resolves a seed name once for the first join, through the JVM's
    // 30-second DNS cache; SeedDiscovery asks DNS each time and waits for the names to settle.
    hz.setProperty("hazelcast.discovery.enabled", "true");
    SeedResolver seeds = new SeedResolver(config.members(), config.port(), SEED_PORT_TRY_COUNT);
    join.getDiscoveryConfig().addDiscoveryStrategyConfig(
        new DiscoveryStrategyConfig(new SeedDiscovery.Factory(seeds, config.host())));
  }

  /**
   * A Hazelcast output thread spins while one of its connections waits for the answer to its
   * protocol header: a member that connects to a frozen member (a reconnect, a merge search) keeps
   * that connection's queued calls going round the thread's task queue until the frozen member
   * thaws, and the thread never selects its sockets meanwhile. A write that may not run on the
   * calling thread (another thread wrote to the same connection a moment before) asked for the
   * selector's attention, and so waited on that thread: heartbeats on the connections it shared
   * stopped for as long as the freeze, and a frozen member split the cluster. Writes handed over
   * through the thread's task queue, which the spinning thread still empties, keep flowing.
   * Hazelcast reads this JVM-wide system property when it creates a member's networking; an
   * explicit {@code -Dhazelcast.io.selectionKeyWakeupEnabled} is left as it is.
   */
  static void wakeIoThreadsThroughTheirTaskQueues() {
    if (System.getProperty(SELECTION_KEY_WAKEUP) == null) {
      System.setProperty(SELECTION_KEY_WAKEUP, "false");
    }
  }
}
