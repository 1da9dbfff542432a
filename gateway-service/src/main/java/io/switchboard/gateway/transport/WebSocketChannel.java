package io.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;

/**
 * WebSocketChannel writes frames encoded once for many sockets ({@link WebSocketFrames}) straight
 * to an upgraded connection's channel, from the position of Netty's WebSocket frame encoder, and
 * tells its owner when the channel can take more.
 *
 * <p>An event of a topic goes to every subscribed socket. Through {@code writeTextMessage} each
 * write would encode the text to UTF-8 again, allocate a frame, a promise and a message for
 * Vert.x's write queue, and copy the bytes to off-heap memory; here each write hands the channel a
 * recycled view of the same off-heap frame. Writes made this way bypass Vert.x's write queue, so
 * they are made only while the channel is writable, when that queue is empty: replies written
 * through Vert.x and frames written here leave in the order they were written.
 *
 * <p>Once a close frame has gone out, whoever closed the socket, nothing more is written here
 * ({@link CloseFrameGuard}).
 *
 * <p>A pipeline where a handler other than the gateway's own watchers sits after the encoder (such
 * as compression) has no direct channel, and its owner writes through Vert.x.
 */
public final class WebSocketChannel {

  private static final String NAME = VertxNetty.SWITCHBOARD_PREFIX + "ws-writability";

  private final Channel channel;
  private final ChannelHandlerContext encoder;
  private final CloseFrameGuard guard;

  private WebSocketChannel(Channel channel, ChannelHandlerContext encoder, CloseFrameGuard guard) {
    this.channel = channel;
    this.encoder = encoder;
    this.guard = guard;
  }

  /**
   * The direct channel of an upgraded WebSocket's {@code connection}, or null when it has none;
   * {@code onWritable} runs on the connection's event loop each time its send buffer drains below
   * the low-water mark. Call on that event loop.
   */
  public static WebSocketChannel of(HttpConnection connection, Runnable onWritable) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    ChannelHandlerContext encoder = pipeline == null ? null : VertxNetty.webSocketEncoderNextToVertx(pipeline);
    if (encoder == null) {
      return null;
    }
    CloseFrameGuard guard = CloseFrameGuard.of(pipeline);
    if (guard == null) {
      return null;
    }
    VertxNetty.addBeforeVertx(pipeline, NAME, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
        if (ctx.channel().isWritable()) {
          onWritable.run();
        }
      }
    });
    return new WebSocketChannel(pipeline.channel(), encoder, guard);
  }

  /** Whether the channel's send buffer is over its high-water mark. */
  public boolean full() {
    return !channel.isWritable();
  }

  /**
   * Writes one encoded frame, a view the write releases; call only while not full. After a close
   * frame the frame is released unwritten.
   */
  public void write(ByteBuf frame) {
    if (guard.closeSent()) {
      frame.release();
      return;
    }
    encoder.writeAndFlush(frame, encoder.voidPromise());
  }
}
