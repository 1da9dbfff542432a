package io.switchboard.gateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * CloseFrameGuard keeps every frame from following a WebSocket's close frame. Whoever closes a
 * socket (its session, an operator, the gateway's shutdown), its connection stays open until the
 * client's close frame comes back, and meanwhile relays, broadcasts, replies and topic events would
 * still be written to it: a frame after a close frame breaks the protocol, and browsers then fail
 * the connection with an error instead of closing it with its code. Vert.x writes them all the
 * same, as it counts a socket closed only once the client answered.
 *
 * <p>The guard sits in the pipeline before Vert.x's handler and drops the frames Vert.x writes after
 * the close frame, failing their writes; the frames the gateway writes past Vert.x
 * ({@link WebSocketChannel}) ask it {@link #closeSent()} first.
 */
public final class CloseFrameGuard extends ChannelOutboundHandlerAdapter {

  private static final String NAME = VertxNetty.SWITCHBOARD_PREFIX + "ws-close-guard";

  private boolean closeSent;

  /** The guard of an upgraded WebSocket's pipeline, installed the first time; call on its event loop. */
  public static CloseFrameGuard of(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) instanceof CloseFrameGuard guard) {
      return guard;
    }
    CloseFrameGuard guard = new CloseFrameGuard();
    return VertxNetty.addBeforeVertx(pipeline, NAME, guard) ? guard : null;
  }

  /** Whether the close frame went out: nothing may follow it. */
  public boolean closeSent() {
    return closeSent;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof CloseWebSocketFrame) {
      closeSent = true;
    } else if (closeSent && msg instanceof WebSocketFrame) {
      ReferenceCountUtil.release(msg);
      // A void promise would fire the failure down the pipeline as an error of the connection.
      if (!promise.isVoid()) {
        promise.tryFailure(new ClosedChannelException());
      }
      return;
    }
    ctx.write(msg, promise);
  }
}
