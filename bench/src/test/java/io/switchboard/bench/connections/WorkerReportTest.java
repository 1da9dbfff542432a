package io.switchboard.bench.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorkerReportTest {

  @Test
  void printsTheLineTheCoordinatorReads() {
    WorkerReport report = new WorkerReport(8998, 2, 3.14159);

    assertEquals("opened 8998 failed 2 seconds 3.142", report.line());
    assertEquals(new WorkerReport(8998, 2, 3.142), WorkerReport.parse(report.line()));
  }

  @Test
  void addsUpConnectionsAndKeepsTheSlowestWorkersSeconds() {
    WorkerReport total = WorkerReport.NONE
        .plus(WorkerReport.parse("opened 9000 failed 0 seconds 4.500"))
        .plus(WorkerReport.parse("opened 3000 failed 7 seconds 2.250"));

    assertEquals(new WorkerReport(12000, 7, 4.5), total);
  }

  @Test
  void aWorkerThatEndedWithoutItsLineFailsTheRun() {
    IllegalStateException ended = assertThrows(IllegalStateException.class, () -> WorkerReport.parse(null));
    assertEquals("a connections worker ended without reporting: null", ended.getMessage());
    assertThrows(IllegalStateException.class, () -> WorkerReport.parse("Exception in thread \"main\""));
  }
}
