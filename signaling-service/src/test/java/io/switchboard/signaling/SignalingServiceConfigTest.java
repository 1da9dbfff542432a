package io.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.common.config.ConfigException;
import io.switchboard.common.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalingServiceConfigTest {

  @Test
  void unsetVariablesGiveTheDocumentedDefaults() {
    SignalingServiceConfig config = SignalingServiceConfig.from(new Env(Map.of()));

    assertEquals(16, config.roomCapacity());
    assertEquals(Duration.ofSeconds(15), config.mergeSettle());
    assertEquals(Duration.ofSeconds(30), config.reconcileDelivery());
    assertEquals(Duration.ofMinutes(10), config.evictionNotice());
  }

  @Test
  void mergeTimingsAreReadInMilliseconds() {
    SignalingServiceConfig config = SignalingServiceConfig.from(new Env(Map.of(
        "SIGNALING_MERGE_SETTLE_MS", "4000", "SIGNALING_RECONCILE_DELIVERY_MS", "90000",
        "SIGNALING_EVICTION_NOTICE_MS", "120000")));

    assertEquals(Duration.ofSeconds(4), config.mergeSettle());
    assertEquals(Duration.ofSeconds(90), config.reconcileDelivery());
    assertEquals(Duration.ofMinutes(2), config.evictionNotice());
  }

  @Test
  void aMergeTimingOutOfRangeStopsTheStartWithItsName() {
    ConfigException error = assertThrows(ConfigException.class, () -> SignalingServiceConfig.from(
        new Env(Map.of("SIGNALING_MERGE_SETTLE_MS", "10"))));

    assertEquals(true, error.getMessage().contains("SIGNALING_MERGE_SETTLE_MS"), error.getMessage());
  }
}
