package io.switchboard.gateway.topicsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.netty.buffer.ByteBuf;
import io.switchboard.common.sse.EventId;
import io.switchboard.common.sse.StoredEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SocketEventTest {

  private static SocketEvent event(String data) {
    return SocketEvent.encoder("t").apply(new StoredEvent(new EventId("ep1", 7), null, data));
  }

  @Test
  void givesEveryWriteItsOwnViewOfOneSharedWireFrame() {
    SocketEvent event = event("1");
    ByteBuf first = event.wire();
    ByteBuf second = event.wire();
    assertNotSame(first, second);
    assertEquals(3, event.references(), "each view holds a reference to the one frame");
    first.skipBytes(2);
    String text = "{\"type\":\"event\",\"topic\":\"t\",\"id\":\"ep1-7\",\"data\":1}";
    assertEquals(0x81, second.getUnsignedByte(0));
    assertEquals(text.length(), second.getUnsignedByte(1));
    assertEquals(text, second.toString(2, text.length(), StandardCharsets.UTF_8));
    assertEquals(text, event.frame(), "the same text for a socket written through Vert.x");
    first.release();
    second.release();
    assertEquals(1, event.references(), "released views leave the event's own reference");
    event.release();
  }

  @Test
  void returnsTheWireFrameToThePoolWithTheLastReference() {
    SocketEvent event = event("2");
    ByteBuf view = event.wire();
    event.retain();
    event.release();
    view.release();
    assertEquals(1, event.references());
    event.release();
    assertEquals(0, event.references());
  }
}
