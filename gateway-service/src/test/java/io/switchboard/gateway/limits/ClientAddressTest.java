package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is behind proxies: {@code X-Forwarded-For} and {@code TRUSTED_PROXIES}. */
class ClientAddressTest {

  private static final byte[] NGINX = AddressRange.bytes("172.18.0.5");
  private static final TrustedProxies COMPOSE = TrustedProxies.of(List.of("172.18.0.5", "10.1.0.0/16"));

  private static String client(String... headers) {
    return AddressRange.text(ClientAddress.forwardedClient(NGINX, List.of(headers), COMPOSE));
  }

  @Test
  void theRightmostAddressAProxyAppendedIsTheClient() {
    assertEquals("203.0.113.9", client("203.0.113.9"));
    assertEquals("203.0.113.9", client("198.51.100.1, 203.0.113.9"), "the left entry is the client's own claim");
  }

  @Test
  void trustedProxiesOnTheWayAreSkipped() {
    assertEquals("203.0.113.9", client("203.0.113.9, 10.1.4.4"));
    assertEquals("203.0.113.9", client("198.51.100.1, 203.0.113.9", "10.1.4.4"), "over several header lines");
  }

  @Test
  void whenEveryHopIsTrustedTheLeftmostIsTheClient() {
    assertEquals("10.1.0.1", client("10.1.0.1, 10.1.4.4"));
    assertEquals("172.18.0.5", client(), "no header: the proxy itself");
  }

  @Test
  void anEntryThatIsNoAddressStopsAtTheHopThatWroteIt() {
    assertEquals("10.1.4.4", client("203.0.113.9, unknown, 10.1.4.4"));
    assertEquals("172.18.0.5", client("not-an-address"));
    assertEquals("172.18.0.5", client(""));
  }

  @Test
  void portsAndIpv6AreUnderstood() {
    assertEquals("203.0.113.9", client("203.0.113.9:4711"));
    assertEquals("2001:db8::7", client("[2001:db8::7]:4711"));
    assertEquals("2001:db8::7", client("2001:db8::7"));
    assertEquals("203.0.113.9", client("::ffff:203.0.113.9"), "IPv4-mapped IPv6 is IPv4");
  }

  @Test
  void rangesMatchByPrefix() {
    AddressRange range = AddressRange.parse("172.16.0.0/12");
    assertTrue(range.contains(AddressRange.bytes("172.31.255.1")));
    assertFalse(range.contains(AddressRange.bytes("172.32.0.1")));
    assertFalse(range.contains(AddressRange.bytes("2001:db8::1")), "another family never matches");
    assertTrue(AddressRange.parse("2001:db8::/32").contains(AddressRange.bytes("2001:db8:ffff::1")));
    assertTrue(AddressRange.parse("0.0.0.0/0").contains(AddressRange.bytes("8.8.8.8")));
    assertNull(AddressRange.parse("10.0.0.0/33"));
    assertNull(AddressRange.parse("nginx"));
  }

  @Test
  void trustedProxiesAcceptAddressesRangesAndNamesOnly() {
    TrustedProxies.check("TRUSTED_PROXIES", List.of("10.0.0.1", "172.16.0.0/12", "::1", "nginx", "lb.example.org"));
    ConfigException range = assertThrows(ConfigException.class,
        () -> TrustedProxies.check("TRUSTED_PROXIES", List.of("10.0.0.0/40")));
    assertTrue(range.getMessage().startsWith("TRUSTED_PROXIES: expected"), range.getMessage());
    assertThrows(ConfigException.class, () -> TrustedProxies.check("TRUSTED_PROXIES", List.of("nginx:80")));
    assertThrows(ConfigException.class, () -> TrustedProxies.check("TRUSTED_PROXIES", List.of("-bad")));
  }
}
