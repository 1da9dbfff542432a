package io.switchboard.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProbeDataTest {

  @Test
  void readsSeqAndTimeWhereverTheServerPutThem() {
    String data = "{\"t\": -12345678901, \"other\":\"x\",\"seq\":42}";

    assertEquals(42, ProbeData.field(data, "\"seq\":"));
    assertEquals(-12345678901L, ProbeData.field(data, "\"t\":"));
  }

  @Test
  void saysAbsentForMissingOrNonNumericFields() {
    assertEquals(Long.MIN_VALUE, ProbeData.field("{\"message\":\"Hello from server!\"}", "\"seq\":"));
    assertEquals(Long.MIN_VALUE, ProbeData.field("{\"seq\":\"7\"}", "\"seq\":"));
  }
}
