package io.switchboard.gateway.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

/**
 * WriteCoalescing makes the frames written to one WebSocket, or the chunks written to one SSE
 * stream, during one event-loop turn leave in one flush, one system call, instead of one each.
 *
 * <p>Vert.x flushes every write made outside the socket's own read. Echo replies, relays and
 * broadcasts are written from event-bus callbacks, so a batch of ten replies for one connection
 * would cost ten writes to the socket, and the client would read them one by one. An SSE stream or
 * a topic subscriber that fell behind its topic is written every event it owes when its socket
 * drains, one after the other. Netty's
 * {@link FlushConsolidationHandler} defers those flushes to the end of the turn, after at most
 * {@link #MAX_WRITES_PER_FLUSH} writes. Nothing is reordered and no frame waits for a later turn.
 *
 * <p>The handler goes into the connection's Netty pipeline; a connection of another kind is left as
 * it is.
 */
public final class WriteCoalescing {

  static final int MAX_WRITES_PER_FLUSH = 256;
  private static final String NAME = "switchboard-write-coalescing";

  private WriteCoalescing() {
  }

  /**
   * Installs coalescing on the connection of an upgraded WebSocket or of an SSE stream, once; call
   * on its event loop.
   */
  public static void install(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    if (pipeline != null && pipeline.get(NAME) == null) {
      // First in the pipeline, so that it sees every flush on its way to the socket.
      pipeline.addFirst(NAME, new FlushConsolidationHandler(MAX_WRITES_PER_FLUSH, true));
    }
  }

  /** True when coalescing is installed on the connection. */
  public static boolean installed(HttpConnection connection) {
    ChannelPipeline pipeline = VertxNetty.pipeline(connection);
    return pipeline != null && pipeline.get(NAME) != null;
  }
}
