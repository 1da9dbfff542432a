package io.switchboard.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedResolverTest {

  @Test
  void ipSeedWithoutAPortStandsForTheRangeOfPortsMembersOnOneHostTake() {
    SeedResolver seeds = new SeedResolver(List.of("127.0.0.1"), 5701, 3);
    assertEquals(Set.of(new InetSocketAddress("127.0.0.1", 5701),
        new InetSocketAddress("127.0.0.1", 5702), new InetSocketAddress("127.0.0.1", 5703)),
        seeds.candidates());
    assertFalse(seeds.hasNames());
    assertTrue(seeds.namedMembers().isEmpty());
  }

  @Test
  void seedWithAPortStandsForThatPortOnly() {
    SeedResolver seeds = new SeedResolver(List.of("127.0.0.1:6000", "localhost:6001"), 5701, 10);
    assertEquals(2, seeds.candidates().size());
    assertFalse(seeds.hasNames(), "localhost is a loopback name, not a service name");
  }

  @Test
  void nameStandsForEveryAddressItResolvesToAtTheClusterPortOnly() throws Exception {
    String name = InetAddress.getLocalHost().getHostName();
    SeedResolver seeds = new SeedResolver(List.of(name), 5701, 10);
    assertTrue(seeds.hasNames());
    Set<InetSocketAddress> candidates = seeds.candidates();
    assertFalse(candidates.isEmpty(), "the host's own name resolves");
    candidates.forEach(address -> assertEquals(5701, address.getPort()));
    assertEquals(candidates, seeds.namedMembers());
  }

  @Test
  void nameNobodyKnowsYetStandsForNoAddressRatherThanFailing() {
    SeedResolver seeds = new SeedResolver(List.of("no-such-service.invalid"), 5701, 10);
    assertTrue(seeds.candidates().isEmpty());
  }
}
