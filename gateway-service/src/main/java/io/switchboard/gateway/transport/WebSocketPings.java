package io.switchboard.gateway.transport;

import io.netty.channel.Channel;
import io.switchboard.common.log.LimitLog;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * WebSocketPings sends a ping frame on every WebSocket of one event loop each
 * {@code WS_PING_INTERVAL_MS}, so that proxies see traffic on quiet connections, and closes a
 * WebSocket whose client has answered none of the pings of two periods: the client, or the path to
 * it, is gone. Such a connection is closed without a close frame, which nobody would read.
 *
 * <p>One timer per loop visits all its sockets; each socket costs one map entry and the period it
 * last answered in. Used from its event loop only.
 */
public final class WebSocketPings {

  /** Periods a client may leave pings unanswered before its connection is closed. */
  static final int MISSED_PERIODS = 2;
  private static final Buffer PAYLOAD = Buffer.buffer();

  private final Map<ServerWebSocket, int[]> sockets = new IdentityHashMap<>();
  private final LimitLog limitLog;
  private int period;

  public WebSocketPings(LimitLog limitLog) {
    this.limitLog = limitLog;
  }

  /** Starts pinging from the caller's context, every {@code interval}; zero sends no ping. */
  public void start(Vertx vertx, Duration interval) {
    if (!interval.isZero()) {
      vertx.setPeriodic(interval.toMillis(), id -> ping());
    }
  }

  /** Pings {@code ws} from now on, until {@link #untrack}. */
  public void track(ServerWebSocket ws) {
    int[] answered = {period};
    sockets.put(ws, answered);
    ws.pongHandler(pong -> answered[0] = period);
  }

  public void untrack(ServerWebSocket ws) {
    sockets.remove(ws);
  }

  private void ping() {
    period++;
    // A copy: closing a socket removes it from the map.
    for (Map.Entry<ServerWebSocket, int[]> entry : new ArrayList<>(sockets.entrySet())) {
      ServerWebSocket ws = entry.getKey();
      if (period - entry.getValue()[0] > MISSED_PERIODS) {
        dropUnanswered(ws);
      } else if (!ws.isClosed() && !ws.writeQueueFull()) {
        ws.writePing(PAYLOAD);
      }
    }
  }

  private void dropUnanswered(ServerWebSocket ws) {
    sockets.remove(ws);
    limitLog.hit("websocket-ping-timeout", "closed the WebSocket of {}: no pong to the pings of {} periods",
        ws.remoteAddress(), MISSED_PERIODS);
    Channel channel = VertxNetty.channel(ws);
    if (channel != null) {
      channel.close();
    } else {
      ws.close();
    }
  }
}
