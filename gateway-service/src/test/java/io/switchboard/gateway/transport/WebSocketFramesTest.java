package io.switchboard.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

  private static ByteBuf frameOf(int length) {
    return WebSocketFrames.text(Buffer.buffer("x".repeat(length)));
  }

  @Test
  void aShortTextFrameHasItsLengthInTheSecondByte() {
    ByteBuf frame = frameOf(125);
    assertEquals(0x81, frame.getUnsignedByte(0), "final text frame");
    assertEquals(125, frame.getUnsignedByte(1), "unmasked, length 125");
    assertEquals(127, frame.readableBytes());
    frame.release();
  }

  @Test
  void aMediumTextFrameHasASixteenBitLength() {
    ByteBuf frame = frameOf(126);
    assertEquals(126, frame.getUnsignedByte(1));
    assertEquals(126, frame.getUnsignedShort(2));
    assertEquals(130, frame.readableBytes());
    frame.release();
  }

  @Test
  void aLongTextFrameHasASixtyFourBitLength() {
    ByteBuf frame = frameOf(70_000);
    assertEquals(127, frame.getUnsignedByte(1));
    assertEquals(70_000, frame.getLong(2));
    assertEquals(70_010, frame.readableBytes());
    frame.release();
  }

  @Test
  void multiByteCharactersCountInBytes() {
    ByteBuf frame = WebSocketFrames.text(Buffer.buffer("é"));
    assertEquals(2, frame.getUnsignedByte(1));
    frame.release();
  }
}
