package io.switchboard.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<SseEvent> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  @Test
  void dispatchesEventsWithIdTypeAndDataOnBlankLines() {
    parser.feed("id: 7\nevent: tick\ndata: {\"a\":1}\n\nid: 8\ndata: {\"a\":2}\n\n");

    assertEquals(List.of(new SseEvent("7", "tick", "{\"a\":1}"), new SseEvent("8", null, "{\"a\":2}")), events);
    assertEquals("8", parser.lastEventId());
  }

  @Test
  void reassemblesEventsSplitAcrossChunksAnywhereIncludingInsideCrLf() {
    byte[] stream = "id: 1\r\ndata: héllo\r\n\r\nid: 2\r\ndata: x\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < stream.length; i++) {
      parser.feed(new byte[] {stream[i]});
    }

    assertEquals(List.of(new SseEvent("1", null, "héllo"), new SseEvent("2", null, "x")), events);
  }

  @Test
  void joinsMultipleDataLinesWithNewlinesAndKeepsSpacesAfterTheFirst() {
    parser.feed("data:first\ndata:  second\n\n");

    assertEquals(List.of(new SseEvent(null, null, "first\n second")), events);
  }

  @Test
  void ignoresHeartbeatCommentsAndEventsWithoutData() {
    parser.feed(": heartbeat\n\nid: 3\n\n:\n\ndata: real\n\n");

    assertEquals(List.of(new SseEvent(null, null, "real")), events);
    assertEquals(2, parser.comments());
    assertEquals("3", parser.lastEventId());
  }

  @Test
  void treatsLoneCarriageReturnsAsLineEnds() {
    parser.feed("data: a\r\rdata: b\r\r");

    assertEquals(List.of(new SseEvent(null, null, "a"), new SseEvent(null, null, "b")), events);
  }
}
