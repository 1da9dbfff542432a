package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * ConnectionRegistry tracks the gateway's open client connections, so shutdown can close each one
 * properly and metrics can count them. It is used from the gateway verticle's event loop only.
 */
public final class ConnectionRegistry {

  /** WebSocket close code sent on shutdown: 1001, going away. */
  public static final short GOING_AWAY = 1001;

  private final Set<ServerWebSocket> webSockets = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Supplier<Future<?>>> streams = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closing;

  /**
   * Tracks a WebSocket; its owner calls {@link #remove(ServerWebSocket)} from its close handler.
   * Returns false, and closes the socket, during shutdown.
   */
  public boolean add(ServerWebSocket ws) {
    if (closing) {
      ws.close(GOING_AWAY, "server shutting down");
      return false;
    }
    webSockets.add(ws);
    return true;
  }

  public void remove(ServerWebSocket ws) {
    webSockets.remove(ws);
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
    streams.add(ender);
    return true;
  }

  public void remove(Supplier<Future<?>> ender) {
    streams.remove(ender);
  }

  public int webSocketCount() {
    return webSockets.size();
  }

  public int streamCount() {
    return streams.size();
  }

  public boolean closing() {
    return closing;
  }

  /** Closes every WebSocket with 1001 and ends every stream; completes when all are closed. */
  public Future<Void> closeAll() {
    closing = true;
    List<Future<?>> closes = new ArrayList<>();
    for (ServerWebSocket ws : new ArrayList<>(webSockets)) {
      closes.add(ws.close(GOING_AWAY, "server shutting down"));
    }
    for (Supplier<Future<?>> ender : new ArrayList<>(streams)) {
      closes.add(ender.get());
    }
    streams.clear();
    return Future.join(closes).mapEmpty();
  }
}
