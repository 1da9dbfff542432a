package io.switchboard.gateway.sse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.switchboard.gateway.transport.SseWriter;
import io.switchboard.gateway.transport.VertxNetty;
import io.switchboard.gateway.transport.WriteCoalescing;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * StreamChannel writes a stream's live events to its HTTP/1.1 connection as chunks encoded once per
 * event, and tells the stream when its connection can take more.
 *
 * <p>A topic's event goes to every stream of the topic, ten thousand writes for ten thousand
 * subscribers. Through {@link HttpServerResponse#write} each would allocate a promise and a message
 * for Vert.x's write queue, have Netty encode the chunk framing again and copy the bytes to off-heap
 * memory for the socket; here each write hands the channel a recycled view of the same pre-encoded
 * off-heap bytes ({@link LiveEvent#chunk}), from the position of Netty's HTTP encoder so that
 * nothing encodes them twice. Heartbeats go the same way, from one chunk shared by all streams.
 * The encoder's state is unaffected: a chunked response stays chunked between whole chunks, and
 * Vert.x still writes the head, the other comments and the last chunk.
 *
 * <p>Writes bypass Vert.x's write queue, so they are made only while the channel is writable:
 * Vert.x holds writes in its queue only while the channel is not, and hands them on as soon as it
 * is again, before the stream is called back. Otherwise the stream holds its events until the
 * channel drains. The events and heartbeats written to one stream during one event-loop turn leave
 * in one flush ({@link WriteCoalescing}), so a stream that drains after falling behind is sent
 * what it owes in one system call rather than one per event. A response that is not chunked
 * HTTP/1.1 (an HTTP/1.0 client gets the body as it is), or a pipeline with a handler between
 * Netty's encoder and Vert.x's (compression, TLS), is written through Vert.x.
 */
final class StreamChannel {

  private static final String NAME = "switchboard-sse-writability";
  /** The heartbeat comment as a chunk, shared by every stream for the life of the process. */
  private static final ByteBuf HEARTBEAT = SseWriter.chunk(SseWriter.comment("heartbeat"));

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
  static StreamChannel of(HttpServerRequest request, HttpServerResponse response, HttpConnection connection,
      Runnable onWritable) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline != null && pipeline.get(NAME) != null) {
      // Left by an earlier stream on this keep-alive connection.
      pipeline.remove(NAME);
    }
    // Netty's encoder directly followed by Vert.x's handler: nothing between them is skipped.
    ChannelHandlerContext encoder = pipeline == null || request.version() != HttpVersion.HTTP_1_1
        ? null : VertxNetty.encoderNextToVertx(pipeline);
    if (encoder == null) {
      response.drainHandler(v -> onWritable.run());
      return new StreamChannel(response, null, null);
    }
    // Before Vert.x's handler, which does not pass the event on; Vert.x drains its queue first.
    VertxNetty.addBeforeVertx(pipeline, NAME, new ChannelInboundHandlerAdapter() {
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
    // A stream that fell behind owes several events when it drains: they leave in one system call.
    WriteCoalescing.install(connection);
    return new StreamChannel(response, pipeline.channel(), encoder);
  }

  /** Takes this stream's handler out of the connection's pipeline; the connection may live on. */
  void release() {
    if (channel != null && channel.pipeline().get(NAME) != null) {
      channel.pipeline().remove(NAME);
    }
  }

  /** Whether a write now would be buffered rather than sent: the client is not keeping up. */
  boolean full() {
    return response.writeQueueFull() || (channel != null && !channel.isWritable());
  }

  /** Writes the heartbeat comment; call only once the response head is written. */
  void heartbeat() {
    if (encoder == null) {
      response.write(SseWriter.comment("heartbeat"));
    } else {
      encoder.writeAndFlush(HEARTBEAT.retainedDuplicate(), encoder.voidPromise());
    }
  }

  /** Writes one event; call only once the response head is written. */
  void write(LiveEvent event) {
    if (encoder == null) {
      response.write(event.frame());
    } else {
      encoder.writeAndFlush(event.chunk(), encoder.voidPromise());
    }
  }
}
