package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.cluster.Address;
import com.hazelcast.logging.Logger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SeedDiscoveryTest {

  @Test
  void theJoinGetsEverySeedAddressAndTheSearchForOtherClustersOnlyThoseThatAnswer() throws Exception {
    try (ServerSocket member = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = member.getLocalPort();
      // The listening port and the nine above it, on which nobody listens.
      SeedResolver seeds = new SeedResolver(List.of("127.0.0.1"), port, 10);
      SeedDiscovery discovery = new SeedDiscovery(seeds, "127.0.0.2",
          Logger.getLogger(SeedDiscoveryTest.class));

      assertEquals(10, addresses(discovery).size(), "the join tries every candidate");
      assertEquals(Set.of(new Address("127.0.0.1", port)), addresses(discovery),
          "a later search asks only the address where a member listens");
    }
  }

  private static Set<Address> addresses(SeedDiscovery discovery) {
    List<DiscoveryNode> nodes = new ArrayList<>();
    discovery.discoverNodes().forEach(nodes::add);
    return nodes.stream().map(DiscoveryNode::getPrivateAddress).collect(Collectors.toSet());
  }
}
