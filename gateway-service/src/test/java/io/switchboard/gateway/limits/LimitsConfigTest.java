package io.switchboard.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The defaults of the connection limits and timeouts, and the checks of their variables. */
class LimitsConfigTest {

  @Test
  void openModeCountsNeitherAddressesNorUsers() {
    LimitsConfig open = LimitsConfig.from(new Env(Map.of()));
    assertEquals(0, open.perIp());
    assertEquals(0, open.perUser());
    assertEquals(OpenFiles.defaultConnectionLimit(), open.total());
    assertEquals(List.of(), open.trustedProxies());
    assertEquals(Duration.ofSeconds(10), open.headerTimeout());
    assertEquals(Duration.ofSeconds(60), open.idleTimeout());
    assertEquals(Duration.ofSeconds(30), open.pingInterval());
  }

  @Test
  void tokenModeLimitsAddressesAndUsersUnlessTold() {
    LimitsConfig jwt = LimitsConfig.from(new Env(Map.of("AUTH_MODE", "jwt")));
    assertEquals(LimitsConfig.JWT_PER_IP, jwt.perIp());
    assertEquals(LimitsConfig.JWT_PER_USER, jwt.perUser());
    LimitsConfig off = LimitsConfig.from(new Env(Map.of("AUTH_MODE", "JWT", "LIMIT_CONNECTIONS_PER_IP", "0")));
    assertEquals(0, off.perIp());
  }

  @Test
  void pingsAreOffAtZeroAndNeverMoreOftenThanTenTimesASecond() {
    assertTrue(LimitsConfig.from(new Env(Map.of("WS_PING_INTERVAL_MS", "0"))).pingInterval().isZero());
    ConfigException tooOften = assertThrows(ConfigException.class,
        () -> LimitsConfig.from(new Env(Map.of("WS_PING_INTERVAL_MS", "50"))));
    assertTrue(tooOften.getMessage().startsWith("WS_PING_INTERVAL_MS:"), tooOften.getMessage());
  }

  @Test
  void aBadValueNamesItsVariable() {
    for (String variable : List.of("LIMIT_CONNECTIONS", "LIMIT_CONNECTIONS_PER_IP", "HTTP_HEADER_TIMEOUT_MS",
        "HTTP_IDLE_TIMEOUT_MS", "LIMIT_USER_CHECK_TIMEOUT_MS", "TRUSTED_PROXIES_REFRESH_MS")) {
      ConfigException bad = assertThrows(ConfigException.class,
          () -> LimitsConfig.from(new Env(Map.of(variable, "-1"))), variable);
      assertTrue(bad.getMessage().startsWith(variable + ":"), bad.getMessage());
    }
  }

  @Test
  void theTotalLeavesAReserveOfTheOpenFileLimit() {
    assertEquals(943_719, OpenFiles.connectionLimit(1_048_576), "a tenth is kept");
    assertEquals(18_000, OpenFiles.connectionLimit(20_000), "a tenth is kept");
    assertEquals(4_000, OpenFiles.connectionLimit(5_000), "at least 1,000 are kept");
    assertEquals(512, OpenFiles.connectionLimit(1024), "at most half is kept");
    assertTrue(OpenFiles.limit() > 0);
  }
}
