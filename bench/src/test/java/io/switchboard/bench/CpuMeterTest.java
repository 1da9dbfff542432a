package io.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuMeterTest {

  @Test
  void readsUserAndSystemTimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
    String stat = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 566 0 0 20 0 12 0";
    assertEquals(18.0, CpuMeter.parseStat(stat), 1e-9);
  }

  @Test
  void measuresTheLoadToolItselfWhileItWorks() {
    CpuMeter meter = CpuMeter.start(Args.parse(new String[0]));
    long until = System.nanoTime() + 300_000_000L;
    long spin = 0;
    while (System.nanoTime() < until) {
      spin += System.nanoTime() % 7;
    }
    var cpu = meter.stop(1000);
    assertTrue(spin >= 0);
    // The loop spun for the whole window; even on a busy machine it got a good part of a core.
    assertTrue(cpu.getDouble("clientCores") > 0.2, cpu.encode());
    assertTrue(cpu.getDouble("clientMicrosPerUnit") > 50, cpu.encode());
    assertTrue(!cpu.containsKey("serverCores"), cpu.encode());
  }
}
