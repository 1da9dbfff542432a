package io.switchboard.bench.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LastDeliveriesTest {

  @Test
  void keepsTheLatestDeliveryOfEachEventWhateverItsSequenceNumber() {
    LastDeliveries last = new LastDeliveries();
    last.record(3, 5_000_000);
    last.record(3, 40_000_000);
    last.record(3, 20_000_000);
    last.record(5000, 7_000_000);

    assertArrayEquals(new long[] {7, 40}, last.sortedMillis());
  }

  @Test
  void readsNearestRankPercentiles() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

    assertEquals(50, LastDeliveries.percentile(sorted, 50));
    assertEquals(90, LastDeliveries.percentile(sorted, 90));
    assertEquals(100, LastDeliveries.percentile(sorted, 100));
    assertEquals(0, LastDeliveries.percentile(new long[0], 50));
  }
}
