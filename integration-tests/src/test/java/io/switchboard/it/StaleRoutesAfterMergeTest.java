package io.switchboard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.it.net.NetworkPartition;
import io.switchboard.it.net.PartitionSide;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StaleRoutesAfterMergeTest proves that the event bus routes around a network partition and back:
 * two sides, each with an sse-service member and a gateway, are cut apart by a real partition
 * (network namespaces, {@link NetworkPartition}) and joined again, and Hazelcast merges one side
 * into the other. A probe on each gateway reads history all the while. Each side stops routing to
 * the other's sse-service member within failure detection of the split, and once the cluster is
 * whole again no read goes to an address that the merge left behind: every read is answered.
 */
class StaleRoutesAfterMergeTest {

  private static final Logger LOG = LoggerFactory.getLogger(StaleRoutesAfterMergeTest.class);
  private static final Duration START = Duration.ofSeconds(180);
  /** 5 s without heartbeats, checked once a second, and a busy host's second on top. */
  private static final long DETECTION_MS = 8_000;
  private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+)");
  private static final Duration SPLIT_FOR = Duration.ofSeconds(20);

  @Test
  void readsReachNoMemberAcrossTheSplitAfterFailureDetectionAndNoStaleAddressAfterTheMerge() {
    try (NetworkPartition network = NetworkPartition.create(2)) {
      List<ServiceProcess> members = List.of(
          start(network.side(0), "merge-routes-sse-a", "sse-service"),
          start(network.side(1), "merge-routes-sse-b", "sse-service"),
          start(network.side(0), "merge-routes-gateway-a", "gateway-service"),
          start(network.side(1), "merge-routes-gateway-b", "gateway-service"));
      members.forEach(member -> member.awaitStarted(START));
      int portA = network.side(0).forward(members.get(2).awaitHttpPort(START));
      int portB = network.side(1).forward(members.get(3).awaitHttpPort(START));
      members.forEach(member -> awaitMembers(member, 4));

      try (HistoryProbe probeA = new HistoryProbe(portA, "merge-routes", Duration.ofMillis(100));
           HistoryProbe probeB = new HistoryProbe(portB, "merge-routes", Duration.ofMillis(100))) {
        Poll.until(() -> probeA.reads().size() > 20 && probeB.reads().size() > 20, START, "reads answered");
        long splitA = probeA.nowMs();
        long splitB = probeB.nowMs();
        network.split();
        members.forEach(member -> awaitMembers(member, 2));
        ServiceProcess.pause(SPLIT_FOR.toMillis());
        assertEquals(List.of(), probeA.failedSince(splitA + DETECTION_MS), "side A's reads during the split");
        assertEquals(List.of(), probeB.failedSince(splitB + DETECTION_MS), "side B's reads during the split");

        long healA = probeA.nowMs();
        network.heal();
        members.forEach(member -> awaitMembers(member, 4));
        long mergedA = probeA.nowMs();
        long mergedB = probeB.nowMs();
        LOG.info("One cluster again {} ms after the heal", mergedA - healA);
        ServiceProcess.pause(15_000);

        report("A", probeA, splitA);
        report("B", probeB, splitB);
        assertEquals(List.of(), probeA.failedSince(mergedA), "side A's reads after the merge");
        assertEquals(List.of(), probeB.failedSince(mergedB), "side B's reads after the merge");
        assertTrue(probeA.reads().stream().filter(read -> read.startedMs() > mergedA + 5_000).count() > 20,
            "reads answered after the merge");
      }
    }
  }

  private static ServiceProcess start(PartitionSide side, String name, String module) {
    return side.start(name, module, Map.of("SSE_REQUEST_TIMEOUT_MS", "3000"));
  }

  private static void report(String side, HistoryProbe probe, long splitAt) {
    List<HistoryProbe.Read> failed = probe.failedSince(splitAt);
    LOG.info("Side {}: {} reads failed since the split", side, failed.size());
    failed.forEach(read -> LOG.info("side {} {} (split at {} ms)", side, read, splitAt));
  }

  /** Waits until the member's latest member list, as Hazelcast logs it, has {@code size} members. */
  private static void awaitMembers(ServiceProcess process, int size) {
    Poll.until(() -> {
      Matcher matcher = MEMBERS.matcher(process.output());
      String last = "none";
      while (matcher.find()) {
        last = matcher.group(1);
      }
      return last.equals(String.valueOf(size));
    }, Duration.ofSeconds(90), process + " sees " + size + " members");
  }
}
