package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  void omitsTheIdWhenNoneWasGiven() {
    assertEquals("event: cluster\ndata: {\"nodes\":[]}\n\n",
        SseWriter.event(null, "cluster", "{\"nodes\":[]}").toString());
  }

  @Test
  void writesTheReconnectionTimeAfterTheTypeWhenOneIsGiven() {
    assertEquals("event: reconnect\nretry: 1500\ndata: {}\n\n",
        SseWriter.event(null, "reconnect", "{}", 1500).toString());
  }

  @Test
  void writesAReconnectEventWithItsReasonAndRetryAndNoIdThatWouldMoveTheResumePosition() {
    assertEquals("event: reconnect\nretry: 750\ndata: {\"reason\":\"shutdown\"}\n\n",
        SseReconnect.frame(SseReconnect.SHUTDOWN, 750).toString());
  }

  @Test
  void spreadsTheReconnectionTimesOfShutdownEventsOverTheirWindow() {
    Pattern shape = Pattern.compile("event: reconnect\nretry: (\\d+)\ndata: \\{\"reason\":\"shutdown\"}\n\n");
    Set<Long> retries = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String frame = SseReconnect.shutdown().toString();
      Matcher matcher = shape.matcher(frame);
      assertTrue(matcher.matches(), frame);
      long retry = Long.parseLong(matcher.group(1));
      assertTrue(retry >= SseReconnect.RETRY_MIN_MS
          && retry < SseReconnect.RETRY_MIN_MS + SseReconnect.RETRY_SPREAD_MS, frame);
      retries.add(retry);
    }
    // 200 draws from 2,500 values: all of them equal would mean no jitter at all.
    assertTrue(retries.size() > 100, "distinct reconnection times: " + retries.size());
  }

  @Test
  void writesComments() {
    assertEquals(": heartbeat\n\n", SseWriter.comment("heartbeat").toString());
  }

  @Test
  void encodesAFrameAsOneChunkInMemoryASocketWritesFromDirectly() {
    ByteBuf chunk = SseWriter.chunk(SseWriter.event("e-4", null, "hello"));
    try {
      assertEquals("15\r\nid: e-4\ndata: hello\n\n\r\n", chunk.toString(StandardCharsets.US_ASCII));
      assertTrue(chunk.hasMemoryAddress(), "off-heap, so Netty need not copy it for the socket");
    } finally {
      chunk.release();
    }
  }
}
