package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.netty.buffer.ByteBuf;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LiveEventTest {

  private static LiveEvent event(String data) {
    return LiveEvent.of(new StoredEvent(new EventId("ep1", 7), null, data));
  }

  @Test
  void givesEveryWriteItsOwnViewOfOneSharedChunk() {
    LiveEvent event = event("x");
    ByteBuf first = event.chunk();
    ByteBuf second = event.chunk();
    assertNotSame(first, second);
    assertEquals(3, event.references(), "each view holds a reference to the one chunk");
    // A socket that took part of the bytes moves its view only.
    first.skipBytes(3);
    assertEquals("13\r\nid: ep1-7\ndata: x\n\n\r\n", second.toString(StandardCharsets.US_ASCII));
    first.release();
    second.release();
    assertEquals(1, event.references(), "released views leave the event's own reference");
    event.release();
  }

  @Test
  void returnsTheChunkToThePoolWithTheLastReference() {
    LiveEvent event = event("y");
    ByteBuf view = event.chunk();
    // A slow stream's queue holds the event past the write.
    event.retain();
    event.release();
    view.release();
    assertEquals(1, event.references());
    event.release();
    assertEquals(0, event.references());
  }
}
