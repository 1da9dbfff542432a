package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.testing.TestCluster;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trusted proxies named by host name, as the compose deployment names nginx. */
class TrustedProxiesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestCluster.await(vertx.close());
  }

  @Test
  void aProxyNamedByHostNameIsTrustedAtTheAddressesItResolvesTo() {
    TrustedProxies proxies = TrustedProxies.of(List.of("localhost"));
    byte[] loopback = AddressRange.bytes("127.0.0.1");
    assertFalse(proxies.trusts(loopback), "nothing is trusted before the name is resolved");
    Runnable stop = proxies.watchNames(vertx, Duration.ofMillis(200));
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!proxies.trusts(loopback)) {
        assertTrue(System.nanoTime() < deadline, "localhost resolved");
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
      assertFalse(proxies.trusts(AddressRange.bytes("203.0.113.9")));
    } finally {
      stop.run();
    }
  }
}
