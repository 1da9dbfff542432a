package io.switchboard.bench.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GatewayProbeTest {

  @Test
  void readsTheG1HeapInUseAndIgnoresMetaspace() {
    String g1 = """
        4242:
         garbage-first heap   total 262144K, used 23456K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 20 young (20480K), 3 survivors (3072K)
         Metaspace       used 51234K, committed 51800K, reserved 1114112K
          class space    used 6234K, committed 6400K, reserved 1048576K
        """;

    assertEquals(23456, GatewayProbe.parseHeapUsedKiB(g1));
  }

  @Test
  void addsUpTheGenerationsOfSerialAndParallelHeaps() {
    String serial = """
        4242:
         def new generation   total 9792K, used 1000K [0x00000000e0000000, 0x00000000e0aa0000)
          eden space 8704K,  10% used [0x00000000e0000000, 0x00000000e0880000)
         tenured generation   total 21888K, used 5000K [0x00000000eaaa0000, 0x00000000ec000000)
           the space 21888K,  25% used [0x00000000eaaa0000, 0x00000000ec000000)
         Metaspace       used 9000K, committed 9200K, reserved 1056768K
        """;

    assertEquals(6000, GatewayProbe.parseHeapUsedKiB(serial));
  }

  @Test
  void saysUnknownWhenJcmdPrintedNothingUseful() {
    assertEquals(-1, GatewayProbe.parseHeapUsedKiB("4242:\nCould not attach\n"));
  }
}
