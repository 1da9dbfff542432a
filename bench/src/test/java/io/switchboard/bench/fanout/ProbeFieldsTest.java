package io.switchboard.bench.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeFieldsTest {

  @Test
  void readsTheProbeOutOfASwitchboardTopicEvent() {
    List<long[]> seen = new ArrayList<>();
    boolean read = read(bytes(
        "{\"type\":\"event\",\"topic\":\"bench\",\"id\":\"3-12\",\"data\":{\"seq\":12,\"t\":98765}}"),
        (seq, t) -> seen.add(new long[] {seq, t}));
    assertTrue(read);
    assertEquals(12, seen.get(0)[0]);
    assertEquals(98765, seen.get(0)[1]);
  }

  @Test
  void readsTheProbeOutOfASocketIoEvent() {
    List<long[]> seen = new ArrayList<>();
    read(bytes("42[\"event\",{\"seq\":7,\"t\":5}]"), (seq, t) -> seen.add(new long[] {seq, t}));
    assertEquals(7, seen.get(0)[0]);
    assertEquals(5, seen.get(0)[1]);
  }

  @Test
  void aMessageWithoutBothFieldsIsNoProbe() {
    assertFalse(read(bytes("{\"type\":\"subscribed\",\"topic\":\"t\"}"), (seq, t) -> { }));
    assertFalse(read(bytes("{\"seq\":\"x\",\"t\":1}"), (seq, t) -> { }));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean read(byte[] message, ProbeParser.Sink sink) {
    return ProbeFields.read(message, 0, message.length, sink);
  }
}
