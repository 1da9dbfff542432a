package io.switchboard.bench.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeParserTest {

  private final List<String> events = new ArrayList<>();
  private final ProbeParser parser = new ProbeParser((seq, nanos) -> events.add(seq + "@" + nanos));

  private void feed(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    parser.feed(bytes, 0, bytes.length);
  }

  @Test
  void dispatchesEachEventOnItsBlankLineSkippingIdAndTypeFields() {
    feed("id: 7\nevent: tick\ndata: {\"seq\":1,\"t\":100}\n\nid: 8\ndata: {\"seq\":2,\"t\":200}\n\n");

    assertEquals(List.of("1@100", "2@200"), events);
  }

  @Test
  void reassemblesEventsSplitAnywhereIncludingInsideCrLf() {
    byte[] stream = "id: 1\r\ndata: {\"seq\":31,\"t\":9}\r\n\r\nid: 2\r\ndata: {\"seq\":32,\"t\":10}\r\n\r\n"
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < stream.length; i++) {
      parser.feed(stream, i, i + 1);
    }

    assertEquals(List.of("31@9", "32@10"), events);
  }

  @Test
  void readsTheFieldsWhereverTheServerPutThemEvenOnSeparateDataLines() {
    feed("data: {\"t\": -12345678901, \"other\":\"x\",\n"
        + "data: \"seq\":42}\n\n");

    assertEquals(List.of("42@-12345678901"), events);
  }

  @Test
  void findsAKeyThatStartsInsideAPartialMatch() {
    feed("data: {\"seq\"\"seq\":12,\"t\"\"t\":5}\n\n");

    assertEquals(List.of("12@5"), events);
  }

  @Test
  void ignoresHeartbeatsOtherFieldsAndEventsWithoutBothNumbers() {
    feed(": heartbeat\n\nid: 3\n\n:\n\n"
        + "database: {\"seq\":1,\"t\":1}\n\n"
        + "data: {\"message\":\"Hello from server!\"}\n\n"
        + "data: {\"seq\":\"7\",\"t\":1}\n\n"
        + "data: {\"seq\":8,\"t\":2}\n\n");

    assertEquals(List.of("8@2"), events);
    assertEquals(2, parser.comments());
  }

  @Test
  void treatsLoneCarriageReturnsAsLineEnds() {
    feed("data: {\"seq\":1,\"t\":1}\r\rdata: {\"seq\":2,\"t\":2}\r\r");

    assertEquals(List.of("1@1", "2@2"), events);
  }
}
