package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.switchboard.common.limits.UserConnectionMaps;
import io.switchboard.common.signaling.RoomMaps;
import io.switchboard.common.sse.history.HistoryMaps;
import io.switchboard.common.testing.TestCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DataQuorumTest {

  @Test
  void theDefaultOfOneProtectsNothing() {
    ClusterConfig config = ClusterConfig.from(new Env(Map.of()));
    assertEquals(1, config.minDataMembers());
    Config hz = ClusterBootstrap.hazelcastConfig(config);
    assertTrue(hz.getSplitBrainProtectionConfigs().isEmpty());
    assertNull(hz.getMapConfig(HistoryMaps.HISTORY).getSplitBrainProtectionName());
    assertNull(hz.getMapConfig(RoomMaps.ROOMS).getSplitBrainProtectionName());
  }

  @Test
  void aMinimumProtectsWritesToHistoryAndRoomsOnEveryMember() {
    ClusterConfig data = TestCluster.loopback("t").withMinDataMembers(3);
    for (ClusterConfig config : List.of(data, data.asLiteMember(true))) {
      Config hz = ClusterBootstrap.hazelcastConfig(config);
      SplitBrainProtectionConfig protection = hz.getSplitBrainProtectionConfig(DataQuorum.NAME);
      assertEquals(3, protection.getMinimumClusterSize());
      assertEquals(SplitBrainProtectionOn.WRITE, protection.getProtectOn());
      // Hazelcast's own count, which counts data members only.
      assertNull(protection.getFunctionImplementation());
      assertNull(protection.getFunctionClassName());
      assertEquals(DataQuorum.NAME, hz.getMapConfig(HistoryMaps.HISTORY).getSplitBrainProtectionName());
      assertEquals(DataQuorum.NAME, hz.getMapConfig(RoomMaps.ROOMS).getSplitBrainProtectionName());
      // Connection counts are not state a merge must keep: a refused count would refuse connections.
      assertNull(hz.getMapConfig(UserConnectionMaps.USERS).getSplitBrainProtectionName());
    }
  }

  @Test
  void minimumIsReadFromTheEnvironmentAndValidated() {
    assertEquals(3, ClusterConfig.from(new Env(Map.of("CLUSTER_MIN_DATA_MEMBERS", "3"))).minDataMembers());
    ConfigException zero = assertThrows(ConfigException.class,
        () -> ClusterConfig.from(new Env(Map.of("CLUSTER_MIN_DATA_MEMBERS", "0"))));
    assertTrue(zero.getMessage().contains("CLUSTER_MIN_DATA_MEMBERS"), zero.getMessage());
  }

  @Test
  void aRefusalIsRecognisedThroughTheWrappersOfAnAsyncCall() {
    SplitBrainProtectionException refusal =
        new SplitBrainProtectionException("switchboard.data-quorum has failed!");
    assertTrue(DataQuorum.refused(refusal));
    assertTrue(DataQuorum.refused(new CompletionException(refusal)));
    assertFalse(DataQuorum.refused(new CompletionException(new IllegalStateException("other"))));
    assertFalse(DataQuorum.refused(null));
  }
}
