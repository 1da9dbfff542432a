package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
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
