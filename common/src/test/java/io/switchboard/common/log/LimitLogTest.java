package io.switchboard.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LimitLogTest {

  @Test
  void aFloodOfOneKindLogsOneLineAndCountsTheRest() {
    LimitLog log = new LimitLog(LoggerFactory.getLogger(LimitLogTest.class), 60_000);
    assertTrue(log.hit("per-ip", "refused {}", "10.0.0.1"));
    for (int i = 0; i < 1000; i++) {
      assertFalse(log.hit("per-ip", "refused {}", "10.0.0.1"));
    }
    assertEquals(1000, log.suppressed("per-ip"));
  }

  @Test
  void eachKindHasItsOwnLine() {
    LimitLog log = new LimitLog(LoggerFactory.getLogger(LimitLogTest.class), 60_000);
    assertTrue(log.hit("per-ip", "refused"));
    assertTrue(log.hit("server-full", "refused"));
    assertFalse(log.hit("per-ip", "refused"));
  }

  @Test
  void afterThePeriodTheNextHitIsLoggedWithTheCountLeftOut() throws InterruptedException {
    LimitLog log = new LimitLog(LoggerFactory.getLogger(LimitLogTest.class), 1);
    assertTrue(log.hit("topic-cap", "full"));
    Thread.sleep(5);
    assertTrue(log.hit("topic-cap", "full"));
    assertEquals(0, log.suppressed("topic-cap"));
  }
}
