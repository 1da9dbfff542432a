package io.switchboard.gateway.node;

import io.switchboard.common.CloseCode;
import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.transport.CloseFrameGuard;
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
import java.util.Map;
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
  /** The WebSockets and streams opened with a user's token: their current grants, for operators. */
  private final Map<ServerWebSocket, Supplier<Grants>> userSockets = new IdentityHashMap<>();
  private final Map<Supplier<Future<?>>, UserStream> userStreams = new IdentityHashMap<>();
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
    return add(ws, connection, null);
  }

  /**
   * Tracks a WebSocket upgraded from {@code connection} whose current grants {@code owner} gives,
   * so that an operator can disconnect its user; null for none.
   */
  public boolean add(ServerWebSocket ws, HttpConnection connection, Supplier<Grants> owner) {
    if (closing) {
      ws.close(CloseCode.GOING_AWAY.code(), "server shutting down");
      return false;
    }
    if (webSockets.add(ws)) {
      Endpoint endpoint = Endpoint.ofWebSocketPath(ws.path());
      node.webSockets(endpoint, 1);
      own.webSockets(endpoint, 1);
      ChannelPipeline pipeline = connection == null ? null : VertxNetty.pipeline(connection);
      if (pipeline != null) {
        // Nothing follows a close frame, whoever closes the socket.
        CloseFrameGuard.of(pipeline);
        if (pings != null) {
          pings.track(ws, pipeline.channel());
        }
      }
      if (owner != null && owner.get().kind() == Grants.Kind.USER) {
        userSockets.put(ws, owner);
      }
    }
    return true;
  }

  public void remove(ServerWebSocket ws) {
    if (webSockets.remove(ws)) {
      Endpoint endpoint = Endpoint.ofWebSocketPath(ws.path());
      node.webSockets(endpoint, -1);
      own.webSockets(endpoint, -1);
      userSockets.remove(ws);
      if (pings != null) {
        pings.untrack(ws);
      }
      ClosedConnections.webSocket(endpoint, closeCode(ws));
    }
  }

  /**
   * The close code the client sent, or null when none came: the connection dropped, or the server
   * closed it before the client's close frame arrived, as when a token expires. Vert.x's
   * {@code closeStatusCode()} then fails with a NullPointerException rather than answer null.
   */
  static Short closeCode(ServerWebSocket ws) {
    try {
      return ws.closeStatusCode();
    } catch (NullPointerException none) {
      return null;
    }
  }

  /**
   * Tracks a long-lived stream, such as an SSE response; {@code ender} ends it on shutdown.
   * Returns the handle to pass to {@link #remove(Supplier)} when the stream ends by itself.
   */
  public boolean addStream(Supplier<Future<?>> ender) {
    return addStream(ender, null, null);
  }

  /**
   * Tracks a stream opened with {@code owner}, which {@code disconnecter} ends when an operator
   * disconnects its user.
   */
  public boolean addStream(Supplier<Future<?>> ender, Grants owner, Supplier<Future<?>> disconnecter) {
    if (closing) {
      ender.get();
      return false;
    }
    if (streams.add(ender)) {
      node.streams(1);
      own.streams(1);
      if (owner != null && owner.kind() == Grants.Kind.USER) {
        userStreams.put(ender, new UserStream(owner, disconnecter));
      }
    }
    return true;
  }

  /** A stream ended because its client went away. */
  public void remove(Supplier<Future<?>> ender) {
    remove(ender, ClosedConnections.CLIENT);
  }

  /** A stream ended, for {@code reason}: one of {@link ClosedConnections}'. */
  public void remove(Supplier<Future<?>> ender, String reason) {
    if (streams.remove(ender)) {
      node.streams(-1);
      own.streams(-1);
      ClosedConnections.stream(reason);
      userStreams.remove(ender);
    }
  }

  /**
   * Closes this loop's connections of user {@code sub} whose tokens were issued before
   * {@code issuedBefore} (epoch seconds; {@link Long#MAX_VALUE} for all): WebSockets with
   * {@link CloseCode#DISCONNECTED}, streams with a {@code reconnect} event. Returns how many.
   */
  public int disconnect(String sub, long issuedBefore) {
    List<ServerWebSocket> sockets = new ArrayList<>();
    userSockets.forEach((ws, owner) -> {
      Grants grants = owner.get();
      if (sub.equals(grants.sub()) && grants.issuedBefore(issuedBefore)) {
        sockets.add(ws);
      }
    });
    List<Supplier<Future<?>>> disconnecters = new ArrayList<>();
    userStreams.values().forEach(stream -> {
      if (sub.equals(stream.owner().sub()) && stream.owner().issuedBefore(issuedBefore)) {
        disconnecters.add(stream.disconnecter());
      }
    });
    Fanout.each(sockets, ws -> ws.close(CloseCode.DISCONNECTED.code(), "disconnected by an operator"),
        "Disconnecting a WebSocket of a user");
    Fanout.each(disconnecters, Supplier::get, "Disconnecting a stream of a user");
    return sockets.size() + disconnecters.size();
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
    streams.forEach(ender -> ClosedConnections.stream(ClosedConnections.RECONNECT));
    streams.clear();
    userStreams.clear();
    return Future.join(closes).mapEmpty();
  }

  /** A user's stream: the grants it was opened with, and what ends it when an operator says so. */
  private record UserStream(Grants owner, Supplier<Future<?>> disconnecter) {
  }
}
