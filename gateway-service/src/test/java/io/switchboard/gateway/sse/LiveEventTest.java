package io.switchboard.gateway.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LiveEventTest {

  private static LiveEvent event(String data) {
    return LiveEvent.fromJson(new JsonObject().put("id", "ep1-7").put("data", data));
  }

  @Test
  void givesEveryWriteItsOwnViewOfOneSharedChunk() {
    LiveEvent event = event("x");
    ByteBuf first = event.chunk();
    ByteBuf second = event.chunk();
    assertNotSame(first, second);
    assertEquals(first.unwrap(), second.unwrap());
    // A socket that took part of the bytes moves its view only.
    first.skipBytes(3);
    assertEquals("13\r\nid: ep1-7\ndata: x\n\n\r\n", second.toString(StandardCharsets.US_ASCII));
    ByteBuf chunk = first.unwrap();
    first.release();
    second.release();
    assertEquals(1, chunk.refCnt(), "released views leave the event's own reference");
  }

  @Test
  void returnsTheChunkToThePoolOnceTheEventIsUnreachable() throws InterruptedException {
    LiveEvent event = event("y");
    ByteBuf view = event.chunk();
    ByteBuf chunk = view.unwrap();
    view.release();
    event = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (chunk.refCnt() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, chunk.refCnt());
  }

  @Test
  void rejectsMalformedEvents() {
    assertNull(LiveEvent.fromJson(new JsonObject().put("id", "ep1-7")));
    assertNull(LiveEvent.fromJson(new JsonObject().put("id", 7).put("data", "x")));
    assertNull(LiveEvent.fromJson(new JsonObject().put("id", "ep1-7").put("data", "x").put("event", 1)));
  }
}
