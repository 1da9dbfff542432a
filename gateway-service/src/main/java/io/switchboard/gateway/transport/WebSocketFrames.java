package io.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;

/**
 * WebSocketFrames encodes a server's WebSocket frames (RFC 6455, section 5.2) as the bytes that go
 * on the wire, so that one encoding can be written to many sockets. Frames from a server are not
 * masked.
 */
public final class WebSocketFrames {

  private static final int FIN_TEXT = 0x81;

  private WebSocketFrames() {
  }

  /**
   * One final text frame holding {@code utf8}, in pooled off-heap memory: the caller holds its one
   * reference and releases it.
   */
  public static ByteBuf text(Buffer utf8) {
    int length = utf8.length();
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(header + length, header + length);
    frame.writeByte(FIN_TEXT);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    ByteBuf bytes = VertxNetty.byteBuf(utf8);
    return frame.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
  }
}
