package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void defaultsFormALoopbackClusterNamedSwitchboard() {
    ClusterConfig config = ClusterConfig.from(new Env(Map.of()));
    assertEquals("switchboard", config.name());
    assertEquals("127.0.0.1", config.host());
    assertEquals(5701, config.port());
    assertEquals(List.of("127.0.0.1"), config.members());
    assertEquals(0, config.busPort());
  }

  @Test
  void loopbackOnlyMembersBindLoopback() {
    ClusterConfig config = ClusterConfig.from(new Env(Map.of(
        "CLUSTER_MEMBERS", "localhost:5701,127.0.0.1:5702")));
    assertEquals("127.0.0.1", config.host());
  }

  @Test
  void explicitHostIsUsedForHazelcastAndTheEventBusAlike() {
    ClusterConfig config = ClusterConfig.from(new Env(Map.of(
        "CLUSTER_HOST", "127.0.0.1", "CLUSTER_MEMBERS", "10.0.0.1")));
    assertEquals("127.0.0.1", config.host());
    Config hz = ClusterBootstrap.hazelcastConfig(config);
    assertEquals("127.0.0.1", hz.getNetworkConfig().getPublicAddress());
    assertEquals("127.0.0.1", hz.getProperty("hazelcast.local.localAddress"));
  }

  @Test
  void outputThreadsAreWokenThroughTheirTaskQueuesUnlessTheOperatorSaidOtherwise() {
    String before = System.getProperty(ClusterBootstrap.SELECTION_KEY_WAKEUP);
    try {
      System.clearProperty(ClusterBootstrap.SELECTION_KEY_WAKEUP);
      ClusterBootstrap.hazelcastConfig(io.switchboard.common.testing.TestCluster.loopback("t"));
      assertEquals("false", System.getProperty(ClusterBootstrap.SELECTION_KEY_WAKEUP));

      System.setProperty(ClusterBootstrap.SELECTION_KEY_WAKEUP, "true");
      ClusterBootstrap.hazelcastConfig(io.switchboard.common.testing.TestCluster.loopback("t"));
      assertEquals("true", System.getProperty(ClusterBootstrap.SELECTION_KEY_WAKEUP));
    } finally {
      System.setProperty(ClusterBootstrap.SELECTION_KEY_WAKEUP, before == null ? "false" : before);
    }
  }

  @Test
  void seedsAreFoundThroughDiscoveryThatResolvesThemAgainEachTime() {
    ClusterConfig config = ClusterConfig.from(new Env(Map.of(
        "CLUSTER_HOST", "127.0.0.1", "CLUSTER_MEMBERS", "gateway,echo")));
    Config hz = ClusterBootstrap.hazelcastConfig(config);
    // Hazelcast's TCP-IP join resolves a name once, through the JVM's DNS cache.
    assertFalse(hz.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertEquals("true", hz.getProperty("hazelcast.discovery.enabled"));
    assertEquals(1, hz.getNetworkConfig().getJoin().getDiscoveryConfig()
        .getDiscoveryStrategyConfigs().size());
    assertEquals(List.of("*.*.*.*"), List.copyOf(hz.getNetworkConfig().getInterfaces().getInterfaces()));
  }

  @Test
  void gatewaysAndEchoAreLiteMembersAndTheRestHoldData() {
    ClusterConfig config = io.switchboard.common.testing.TestCluster.loopback("t");
    assertFalse(ClusterBootstrap.hazelcastConfig(config).isLiteMember());
    assertTrue(ClusterBootstrap.hazelcastConfig(config.asLiteMember(true)).isLiteMember());
  }

  @Test
  void hostThatIsNotOnThisMachineIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.from(new Env(Map.of(
        "CLUSTER_HOST", "192.0.2.123"))));
    assertTrue(e.getMessage().startsWith("CLUSTER_HOST:"), e.getMessage());
  }

  @Test
  void malformedMemberIsRejectedWithTheVariableName() {
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.from(new Env(Map.of(
        "CLUSTER_MEMBERS", "gateway:notaport"))));
    assertTrue(e.getMessage().startsWith("CLUSTER_MEMBERS:"), e.getMessage());
  }

  @Test
  void badClusterNameIsRejected() {
    assertThrows(ConfigException.class,
        () -> ClusterConfig.from(new Env(Map.of("CLUSTER_NAME", "no spaces allowed"))));
  }

  @Test
  void heartbeatTimeoutMustExceedTheInterval() {
    ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.from(new Env(Map.of(
        "CLUSTER_HEARTBEAT_INTERVAL_SECONDS", "5", "CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "5"))));
    assertTrue(e.getMessage().startsWith("CLUSTER_MAX_NO_HEARTBEAT_SECONDS:"), e.getMessage());
  }

  @Test
  void hazelcastIsTunedToDropSilentMembersWithinSeconds() {
    Config hz = ClusterBootstrap.hazelcastConfig(io.switchboard.common.testing.TestCluster.loopback("t"));
    assertEquals("t", hz.getClusterName());
    assertEquals("1", hz.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("5", hz.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertFalse(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertTrue(hz.getNetworkConfig().getJoin().getDiscoveryConfig().isEnabled());
    assertTrue(hz.getNetworkConfig().isPortAutoIncrement());
    // Vert.x's own structures from its default configuration are kept.
    assertEquals(1, hz.getMultiMapConfig("__vertx.subs").getBackupCount());
  }
}
