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
 * <p>One timer per loop visits all its sockets; each socket costs one map entry, its channel and
 * the period it last answered in. Used from its event loop only.
 */
public final class WebSocketPings {

  /** Periods a client may leave pings unanswered before its connection is closed. */
  static final int MISSED_PERIODS = 2;
  private static final Buffer PAYLOAD = Buffer.buffer();

  private final Map<ServerWebSocket, Liveness> sockets = new IdentityHashMap<>();
  private final LimitLog limitLog;
  private int period;

  public WebSocketPings(LimitLog limitLog) {
    this.limitLog = limitLog;
  }

  /**
   * Starts pinging from the caller's context, every {@code interval}; zero sends no ping. Each
   * round is timed from the end of the last one, never to catch up: after a stalled event loop,
   * rounds in a row with no reads between them would find every client silent.
   */
  public void start(Vertx vertx, Duration interval) {
    if (!interval.isZero()) {
      vertx.setTimer(interval.toMillis(), id -> {
        ping();
        start(vertx, interval);
      });
    }
  }

  /** Pings {@code ws}, whose connection is {@code channel}, from now on, until {@link #untrack}. */
  public void track(ServerWebSocket ws, Channel channel) {
    Liveness liveness = new Liveness(channel, period);
    sockets.put(ws, liveness);
    ws.pongHandler(pong -> liveness.answered = period);
  }

  public void untrack(ServerWebSocket ws) {
    sockets.remove(ws);
  }

  private void ping() {
    period++;
    // A copy: closing a socket removes it from the map.
    for (Map.Entry<ServerWebSocket, Liveness> entry : new ArrayList<>(sockets.entrySet())) {
      ServerWebSocket ws = entry.getKey();
      if (period - entry.getValue().answered > MISSED_PERIODS) {
        dropUnanswered(ws, entry.getValue().channel);
      } else if (!ws.isClosed()) {
        // Even behind a full send buffer: a ping is a few bytes, and a client that reads slowly
        // answers it once it gets there. Skipping it would count a busy client's periods as missed.
        ws.writePing(PAYLOAD);
      }
    }
  }

  private void dropUnanswered(ServerWebSocket ws, Channel channel) {
    sockets.remove(ws);
    limitLog.hit("websocket-ping-timeout", "closed the WebSocket of {}: no pong to the pings of {} periods",
        ws.remoteAddress(), MISSED_PERIODS);
    // No closing handshake: it would wait, behind whatever the gone client left unread, for an answer.
    VertxNetty.closeNow(channel);
  }

  /** The connection of a WebSocket and the period in which its client last answered. */
  private static final class Liveness {
    final Channel channel;
    int answered;

    Liveness(Channel channel, int answered) {
      this.channel = channel;
      this.answered = answered;
    }
  }
}
