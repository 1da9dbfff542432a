package io.switchboard.gateway.node;

import io.switchboard.common.CloseCode;
import io.switchboard.gateway.transport.Fanout;
import io.switchboard.gateway.transport.VertxNetty;
import io.switchboard.gateway.transport.WebSocketPings;
import io.vertx.core.Future;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * ConnectionRegistry tracks the client connections of one of the gateway's event loops, so that
 * shutdown can close each one properly, keeps the node's {@link ConnectionCounts} current, and has
 * its WebSockets pinged ({@link WebSocketPings}). It is used from that event loop only.
 */
public final class ConnectionRegistry {

  private final Set<ServerWebSocket> webSockets = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Supplier<Future<?>>> streams = Collections.newSetFromMap(new IdentityHashMap<>());
  private final ConnectionCounts node;
  private final ConnectionCounts own = new ConnectionCounts();
  private final WebSocketPings pings;
  private boolean closing;

  /** {@code node} is the count of the whole gateway node, which this registry keeps current too. */
  public ConnectionRegistry(ConnectionCounts node) {
    this(node, null);
  }

  /** A registry whose WebSockets {@code pings} pings, or none when it is null. */
  public ConnectionRegistry(ConnectionCounts node, WebSocketPings pings) {
    this.node = node;
    this.pings = pings;
  }

  /**
   * Tracks a WebSocket; its owner calls {@link #remove(ServerWebSocket)} from its close handler.
   * Returns false, and closes the socket, during shutdown.
   */
  public boolean add(ServerWebSocket ws) {
    return add(ws, null);
  }

  /** Tracks a WebSocket upgraded from {@code connection}, which its pings close when it is gone. */
  public boolean add(ServerWebSocket ws, HttpConnection connection) {
    if (closing) {
      ws.close(CloseCode.GOING_AWAY.code(), "server shutting down");
      return false;
    }
    if (webSockets.add(ws)) {
      Endpoint endpoint = Endpoint.ofWebSocketPath(ws.path());
      node.webSockets(endpoint, 1);
      own.webSockets(endpoint, 1);
      ChannelPipeline pipeline = connection == null ? null : VertxNetty.pipeline(connection);
      if (pings != null && pipeline != null) {
        pings.track(ws, pipeline.channel());
      }
    }
    return true;
  }

  public void remove(ServerWebSocket ws) {
    if (webSockets.remove(ws)) {
      Endpoint endpoint = Endpoint.ofWebSocketPath(ws.path());
      node.webSockets(endpoint, -1);
      own.webSockets(endpoint, -1);
      if (pings != null) {
        pings.untrack(ws);
      }
    }
  }

  /**
   * Tracks a long-lived stream, such as an SSE response; {@code ender} ends it on shutdown.
   * Returns the handle to pass to {@link #remove(Supplier)} when the stream ends by itself.
   */
  public boolean addStream(Supplier<Future<?>> ender) {
    if (closing) {
      ender.get();
      return false;
    }
    if (streams.add(ender)) {
      node.streams(1);
      own.streams(1);
    }
    return true;
  }

  public void remove(Supplier<Future<?>> ender) {
    if (streams.remove(ender)) {
      node.streams(-1);
      own.streams(-1);
    }
  }

  /** This event loop's WebSockets. */
  public int webSocketCount() {
    return webSockets.size();
  }

  /** This event loop's streams. */
  public int streamCount() {
    return streams.size();
  }

  /** This event loop's counts, readable from any thread. */
  public ConnectionCounts counts() {
    return own;
  }

  public boolean closing() {
    return closing;
  }

  /**
   * Closes every WebSocket with 1001 and ends every stream with its ender, which asks its client
   * to reconnect; completes when all are closed.
   */
  public Future<Void> closeAll() {
    closing = true;
    List<Future<?>> closes = new ArrayList<>();
    // One connection that fails to close must not keep the others open.
    Fanout.each(new ArrayList<>(webSockets), ws -> closes.add(ws.close(CloseCode.GOING_AWAY.code(), "server shutting down")),
        "Closing a WebSocket on shutdown");
    Fanout.each(new ArrayList<>(streams), ender -> closes.add(ender.get()), "Ending a stream on shutdown");
    node.streams(-streams.size());
    own.streams(-streams.size());
    streams.clear();
    return Future.join(closes).mapEmpty();
  }
}
