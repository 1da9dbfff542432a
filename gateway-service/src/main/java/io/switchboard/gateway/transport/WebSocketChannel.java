package io.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
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
 * <p>Once a close frame has gone out, whoever closed the socket (its session, an operator, the
 * gateway's shutdown), nothing more is written here: a frame after the close frame breaks the
 * protocol, and browsers fail the connection with an error instead of closing it cleanly. Vert.x
 * reports the socket closed only when the client's close frame or the end of the connection
 * comes back, so the channel watches what Vert.x writes itself.
 *
 * <p>A pipeline where a handler other than the gateway's own watchers sits after the encoder (such
 * as compression) has no direct channel, and its owner writes through Vert.x.
 */
public final class WebSocketChannel {

  private static final String NAME = VertxNetty.SWITCHBOARD_PREFIX + "ws-writability";

  private final Channel channel;
  private final ChannelHandlerContext encoder;
  /** A close frame was written: the socket takes no more frames. */
  private boolean closeSent;

  private WebSocketChannel(Channel channel, ChannelHandlerContext encoder) {
    this.channel = channel;
    this.encoder = encoder;
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
    WebSocketChannel direct = new WebSocketChannel(pipeline.channel(), encoder);
    VertxNetty.addBeforeVertx(pipeline, NAME, new ChannelDuplexHandler() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
        if (ctx.channel().isWritable()) {
          onWritable.run();
        }
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof CloseWebSocketFrame) {
          direct.closeSent = true;
        }
        ctx.write(msg, promise);
      }
    });
    return direct;
  }

  /** Whether a close frame went out: nothing may follow it. */
  public boolean closing() {
    return closeSent;
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
    if (closeSent) {
      frame.release();
      return;
    }
    encoder.writeAndFlush(frame, encoder.voidPromise());
  }
}
