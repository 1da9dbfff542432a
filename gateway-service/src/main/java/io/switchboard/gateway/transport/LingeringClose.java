package io.switchboard.gateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * LingeringClose makes sure that a client whose frame the gateway refused receives the frames that
 * say why, the error and the close frame with its status, even while it is still sending.
 *
 * <p>A frame over the size limit, or any other protocol violation, leaves the WebSocket decoder
 * unable to go on, and Vert.x then closes the connection at once. A TCP connection closed with
 * unread bytes in its receive buffer is reset rather than closed, and a reset can make the client
 * drop what it had not read yet: the client sees the connection fail (1006) instead of 1009.
 * With this handler the gateway sends what it has to send, then shuts its side down (a FIN after
 * the close frame), goes on reading and dropping whatever the client still sends until the client
 * closes too, and closes for good after {@code WS_CLOSE_LINGER_MS} at the latest.
 *
 * <p>It goes into the connection's Netty pipeline; a connection of another kind is left as it is.
 */
public final class LingeringClose extends ChannelDuplexHandler {

  private static final String NAME = "switchboard-lingering-close";
  private static final String DISCARD = "switchboard-lingering-discard";
  /** How often a lingering connection checks whether its last frames have left. */
  private static final long FLUSH_CHECK_MS = 10;

  private final long lingerMillis;
  private boolean refused;
  private boolean lingering;

  private LingeringClose(long lingerMillis) {
    this.lingerMillis = lingerMillis;
  }

  /**
   * Installs lingering on the connection of an upgraded WebSocket; call on its event loop. A zero
   * {@code linger} leaves the connection as Vert.x made it.
   */
  public static void install(HttpConnection connection, Duration linger) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (linger.isZero() || pipeline == null) {
      return;
    }
    // Between the WebSocket decoder, whose failures it must see, and the Vert.x handler, whose
    // close it must see.
    if (pipeline.get(NAME) == null) {
      VertxNetty.addBeforeVertx(pipeline, NAME, new LingeringClose(linger.toMillis()));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException) {
      refused = true;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel channel = ctx.channel();
    if (lingering) {
      channel.closeFuture().addListener(f -> promise.trySuccess());
      return;
    }
    if (!refused || !channel.isActive() || !(channel instanceof DuplexChannel duplex)) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    // From now on what arrives is dropped whole, before the decoder that would step through it a
    // byte at a time.
    ctx.pipeline().addFirst(DISCARD, new Discard());
    io.netty.util.concurrent.ScheduledFuture<?> deadline =
        ctx.executor().schedule(() -> ctx.close(), lingerMillis, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> {
      deadline.cancel(false);
      promise.trySuccess();
    });
    ctx.flush();
    // After the current read: frames written during it are flushed at its end.
    ctx.executor().execute(() -> {
      // Vert.x stops reading a paused connection; nothing reaches it now to resume it.
      channel.config().setAutoRead(true);
      ctx.read();
      shutDownOutputOnceFlushed(ctx, duplex);
    });
  }

  private void shutDownOutputOnceFlushed(ChannelHandlerContext ctx, DuplexChannel channel) {
    if (!channel.isActive() || channel.isOutputShutdown()) {
      return;
    }
    ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
    if (pending == null || pending.totalPendingWriteBytes() == 0) {
      // The client reads the close frame, then the end of the stream, and closes its side.
      channel.shutdownOutput();
    } else {
      ctx.flush();
      ctx.executor().schedule(() -> shutDownOutputOnceFlushed(ctx, channel),
          FLUSH_CHECK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Releases every inbound buffer unread. */
  private static final class Discard extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
