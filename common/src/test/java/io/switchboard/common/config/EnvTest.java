package io.switchboard.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

  @Test
  void unsetOrBlankVariablesTakeTheirDefaults() {
    Env env = new Env(Map.of("BLANK", "  "));
    assertEquals(8080, env.integer("HTTP_PORT", 8080, 0, 65535));
    assertEquals(7, env.integer("BLANK", 7, 0, 10));
    assertEquals(Duration.ofMillis(3000), env.millis("ECHO_TIMEOUT_MS", 3000, 1, 10_000));
    assertEquals(List.of("a"), env.list("LIST", List.of("a")));
  }

  @Test
  void malformedIntegerStopsWithTheVariableName() {
    Env env = new Env(Map.of("HTTP_PORT", "eighty"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> env.integer("HTTP_PORT", 8080, 0, 65535));
    assertTrue(e.getMessage().startsWith("HTTP_PORT: expected an integer from 0 to 65535"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'eighty'"), e.getMessage());
  }

  @Test
  void outOfRangeIntegerIsRejected() {
    Env env = new Env(Map.of("HTTP_PORT", "70000"));
    assertThrows(ConfigException.class, () -> env.integer("HTTP_PORT", 8080, 0, 65535));
  }

  @Test
  void listsAreTrimmedAndEmptyItemsDropped() {
    Env env = new Env(Map.of("CLUSTER_MEMBERS", " a:5701, ,b "));
    assertEquals(List.of("a:5701", "b"), env.list("CLUSTER_MEMBERS", List.of()));
  }

  @Test
  void booleansAcceptCommonSpellingsOnly() {
    assertTrue(new Env(Map.of("X", "yes")).bool("X", false));
    assertThrows(ConfigException.class, () -> new Env(Map.of("X", "maybe")).bool("X", false));
  }

  @Test
  void patternMismatchNamesWhatWasExpected() {
    Env env = new Env(Map.of("CLUSTER_NAME", "has space"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> env.string("CLUSTER_NAME", "x", "[a-z]+", "lowercase letters"));
    assertTrue(e.getMessage().contains("CLUSTER_NAME: expected lowercase letters"), e.getMessage());
  }
}
