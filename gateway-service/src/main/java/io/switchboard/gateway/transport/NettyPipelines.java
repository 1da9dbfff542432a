package io.switchboard.gateway.transport;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * NettyPipelines reaches the Netty pipeline behind a Vert.x connection, which Vert.x exposes only
 * from its implementation classes.
 */
public final class NettyPipelines {

  private NettyPipelines() {
  }

  /** The connection's pipeline, or null for a connection of another kind. */
  public static ChannelPipeline of(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channelHandlerContext().pipeline() : null;
  }
}
