package io.switchboard.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import io.switchboard.gateway.node.OriginsConfig;
import io.vertx.core.net.HostAndPort;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebOriginTest {

  private static OriginsConfig origins(String value) {
    return OriginsConfig.from(new Env(Map.of("ALLOWED_ORIGINS", value)));
  }

  @Test
  void twoSpellingsOfOneOriginAreEqual() {
    assertEquals(WebOrigin.parse("https://app.example.org"), WebOrigin.parse("HTTPS://App.Example.ORG:443"));
    assertEquals(WebOrigin.parse("http://127.0.0.1"), WebOrigin.parse("http://127.0.0.1:80"));
    assertEquals("http://127.0.0.1:8080", WebOrigin.parse("http://127.0.0.1:8080").toString());
    assertEquals("http://[::1]:8080", WebOrigin.parse("http://[::1]:8080").toString());
  }

  @Test
  void opaqueAndLocalFileOriginsAndUrlsWithAPathAreNotOrigins() {
    assertNull(WebOrigin.parse("null"));
    assertNull(WebOrigin.parse("file://"));
    assertNull(WebOrigin.parse("file:///home/me/page.html"));
    assertNull(WebOrigin.parse("https://app.example.org/"));
    assertNull(WebOrigin.parse("https://app.example.org/page"));
    assertNull(WebOrigin.parse("https://user@app.example.org"));
    assertNull(WebOrigin.parse("app.example.org"));
    assertNull(WebOrigin.parse(""));
  }

  @Test
  void anOriginIsServedAtTheHostAndPortItNames() {
    WebOrigin local = WebOrigin.parse("http://127.0.0.1:8080");
    assertTrue(local.isServedAt(HostAndPort.authority("127.0.0.1", 8080)));
    assertFalse(local.isServedAt(HostAndPort.authority("127.0.0.1", 8081)));
    assertFalse(local.isServedAt(HostAndPort.authority("127.0.0.2", 8080)));
    assertFalse(local.isServedAt(null));
    // Behind a proxy that terminates TLS, Host has no port: the scheme's default is meant.
    WebOrigin site = WebOrigin.parse("https://chat.example.org");
    assertTrue(site.isServedAt(HostAndPort.authority("Chat.Example.org")));
    assertTrue(site.isServedAt(HostAndPort.authority("chat.example.org", 443)));
    assertFalse(site.isServedAt(HostAndPort.authority("chat.example.org", 8080)));
    assertFalse(WebOrigin.parse("chrome-extension://abcdef").isServedAt(HostAndPort.authority("abcdef")));
  }

  @Test
  void allowedOriginsAreUnsetByDefaultStarOrAList() {
    assertEquals(OriginsConfig.sameOriginOnly(), OriginsConfig.from(new Env(Map.of())));
    assertTrue(origins("*").anyOrigin());
    OriginsConfig listed = origins("https://app.example.org, http://127.0.0.1:3000");
    assertFalse(listed.anyOrigin());
    assertEquals(Set.of(WebOrigin.parse("https://app.example.org"), WebOrigin.parse("http://127.0.0.1:3000")),
        listed.allowed());
  }

  @Test
  void aListedValueThatIsNoOriginStopsTheStartWithTheVariablesName() {
    for (String bad : new String[] {"https://app.example.org/", "null", "app.example.org", "*,https://a.example"}) {
      ConfigException error = assertThrows(ConfigException.class, () -> origins(bad), bad);
      assertTrue(error.getMessage().startsWith("ALLOWED_ORIGINS: expected "), error.getMessage());
    }
  }
}
