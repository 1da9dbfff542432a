package io.switchboard.gateway.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * StreamChannel writes a stream's live events to its HTTP/1.1 connection as chunks encoded once per
 * event, and tells the stream when its connection can take more.
 *
 * <p>A topic's event goes to every stream of the topic, ten thousand writes for ten thousand
 * subscribers. Through {@link HttpServerResponse#write} each would allocate a promise and a message
 * for Vert.x's write queue and have Netty encode the chunk framing again; here each write hands the
 * channel the same pre-encoded bytes, from the position of Netty's HTTP encoder so that nothing
 * encodes them twice. The encoder's state is unaffected: a chunked response stays chunked between
 * whole chunks, and Vert.x still writes the head, the comments and the last chunk.
 *
 * <p>Writes bypass Vert.x's write queue, so they are made only while the channel is writable and
 * that queue is empty; otherwise the stream holds its events and is called back once the channel
 * drains. A connection of another kind (not HTTP/1.1 over Netty) is written through Vert.x.
 */
final class StreamChannel {

  private static final String ENCODER = "httpEncoder";
  /** Vert.x's own handler, last in the pipeline. */
  private static final String VERTX_HANDLER = "handler";
  private static final String NAME = "switchboard-sse-writability";

  private final HttpServerResponse response;
  private final Channel channel;
  private final ChannelHandlerContext encoder;

  private StreamChannel(HttpServerResponse response, Channel channel, ChannelHandlerContext encoder) {
    this.response = response;
    this.channel = channel;
    this.encoder = encoder;
  }

  /**
   * The stream channel of {@code response} on {@code connection}; {@code onWritable} runs on the
   * connection's event loop each time its send buffer drains below the low-water mark.
   */
  static StreamChannel of(HttpServerResponse response, HttpConnection connection, Runnable onWritable) {
    ChannelPipeline pipeline = connection instanceof ConnectionBase base
        ? base.channelHandlerContext().pipeline() : null;
    ChannelHandlerContext encoder = pipeline == null ? null : pipeline.context(ENCODER);
    if (encoder == null || pipeline.get(VERTX_HANDLER) == null) {
      response.drainHandler(v -> onWritable.run());
      return new StreamChannel(response, null, null);
    }
    if (pipeline.get(NAME) != null) {
      pipeline.remove(NAME);
    }
    // Before Vert.x's handler, which does not pass the event on; Vert.x drains its queue first.
    pipeline.addBefore(VERTX_HANDLER, NAME, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
        if (ctx.channel().isWritable()) {
          onWritable.run();
        }
      }
    });
    // Vert.x's own queue drains through its drain handler.
    response.drainHandler(v -> onWritable.run());
    return new StreamChannel(response, pipeline.channel(), encoder);
  }

  /** Whether a write now would be buffered rather than sent: the client is not keeping up. */
  boolean full() {
    return response.writeQueueFull() || (channel != null && !channel.isWritable());
  }

  /** Writes one event; call only once the response head is written. */
  void write(LiveEvent event) {
    if (encoder == null) {
      response.write(event.frame());
    } else {
      encoder.writeAndFlush(Unpooled.wrappedBuffer(event.chunk()), encoder.voidPromise());
    }
  }
}
