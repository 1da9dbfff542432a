package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SseWriterTest {

  @Test
  void writesIdTypeAndDataLines() {
    assertEquals("id: e-1\nevent: price\ndata: {\"a\":1}\n\n",
        SseWriter.event("e-1", "price", "{\"a\":1}").toString());
  }

  @Test
  void omitsTheTypeWhenNoneWasGiven() {
    assertEquals("id: e-2\ndata: 7\n\n", SseWriter.event("e-2", null, "7").toString());
  }

  @Test
  void splitsLineBreaksInDataIntoSeveralDataLines() {
    assertEquals("id: e-3\ndata: one\ndata: two\ndata: three\ndata: \n\n",
        SseWriter.event("e-3", null, "one\ntwo\r\nthree\r").toString());
  }

  @Test
  void writesComments() {
    assertEquals(": heartbeat\n\n", SseWriter.comment("heartbeat").toString());
  }
}
