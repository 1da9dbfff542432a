package io.switchboard.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.switchboard.it.Http;
import io.switchboard.it.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * NetworkPartitionTest proves the fixture: members on two sides form one cluster, a split makes
 * two clusters while the test still reaches both sides, and healing makes one cluster again.
 */
class NetworkPartitionTest {

  private static final Duration START = Duration.ofSeconds(180);
  private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+)");

  @Test
  void aSplitMakesTwoClustersAndHealingMakesOneAgain() throws Exception {
    String namespace;
    try (NetworkPartition network = NetworkPartition.create(2)) {
      namespace = network.side(0).namespace();
      ServiceProcess a = network.side(0).start("partition-sse-a", "sse-service", Map.of());
      ServiceProcess b = network.side(1).start("partition-sse-b", "sse-service", Map.of());
      ServiceProcess gateway = network.side(1).start("partition-gateway-b", "gateway-service",
          Map.of());
      a.awaitStarted(START);
      b.awaitStarted(START);
      gateway.awaitStarted(START);
      int port = gateway.awaitHttpPort(START);
      int relayed = network.side(1).forward(port);
      awaitMembers(a, 3);
      awaitMembers(b, 3);

      network.split();
      awaitMembers(a, 1);
      awaitMembers(b, 2);
      assertEquals(200, directGet(network.side(1).address(), port, "/health"),
          "the gateway reached directly during the split");
      assertEquals(200, Http.get(relayed, "/health").statusCode(),
          "the gateway reached through the loopback relay during the split");

      network.heal();
      awaitMembers(a, 3);
      awaitMembers(b, 3);
    }
    String left = Shell.attempt("ip", "netns", "list").output();
    assertFalse(left.contains(namespace + " ") || left.contains(namespace + "\n"),
        "namespace " + namespace + " left behind: " + left);
  }

  /** Waits until the member's latest member list, as Hazelcast logs it, has {@code size} members. */
  private static void awaitMembers(ServiceProcess process, int size) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "none";
    while (System.nanoTime() < deadline) {
      Matcher matcher = MEMBERS.matcher(process.output());
      while (matcher.find()) {
        last = matcher.group(1);
      }
      if (last.equals(String.valueOf(size))) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError(process + " did not see " + size + " members (last " + last + "):\n"
        + process.output());
  }

  private static int directGet(String host, int port, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
