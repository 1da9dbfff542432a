package io.switchboard.gateway.topicsocket;

import io.switchboard.common.CloseCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.transport.SlowConsumers;
import io.switchboard.gateway.transport.SocketWrites;
import io.switchboard.gateway.transport.WebSocketChannel;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

/**
 * TopicSocket is the writing side of a {@code /ws/topics} connection. Events are written only while
 * the socket takes them (each subscription holds its own bounded queue meanwhile); replies and
 * errors are always written, but a client that lets {@code WS_TOPICS_MAX_QUEUED_FRAMES} of them
 * pile up without reading is closed with 1008. Once the socket is found closed, nothing more is
 * written and the session is told, once.
 */
final class TopicSocket implements SocketAccess.Socket {

  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(TopicSocket.class));
  static final String NOT_READING = "not reading";

  private final ServerWebSocket ws;
  private final int maxQueuedFrames;
  private final Runnable onGone;
  /** Where events go without Vert.x, or null to write them through it. */
  private WebSocketChannel channel;
  private int framesWhileFull;
  private boolean closed;

  TopicSocket(ServerWebSocket ws, int maxQueuedFrames, Runnable onGone) {
    this.ws = ws;
    this.maxQueuedFrames = maxQueuedFrames;
    this.onGone = onGone;
  }

  /** Writes events straight to {@code channel} from now on. */
  void direct(WebSocketChannel channel) {
    this.channel = channel;
  }

  boolean closed() {
    return closed;
  }

  /** Whether writes are piling up: events wait in their subscriptions' queues. */
  boolean full() {
    return SocketWrites.full(ws) || (channel != null && !closed && channel.full());
  }

  /** Writes a reply or an error. */
  @Override
  public void send(JsonObject frame) {
    if (closed) {
      return;
    }
    if (full()) {
      if (++framesWhileFull > maxQueuedFrames) {
        LIMITS.hit("ws-topics-slow-client", "Closing a topics WebSocket with 1008: {} frames queued while"
            + " it does not read (WS_TOPICS_MAX_QUEUED_FRAMES)", maxQueuedFrames);
        notReading();
        return;
      }
    } else {
      framesWhileFull = 0;
    }
    text(frame.encode());
  }

  /** Writes an event; its subscription wrote it because the socket was not full. */
  void event(SocketEvent event) {
    if (channel == null) {
      text(event.frame());
    } else if (!closed && !ws.isClosed()) {
      channel.write(event.wire());
    }
  }

  /** Closes a client that lets what is sent to it pile up. */
  void notReading() {
    if (!closed) {
      SlowConsumers.cut(SlowConsumers.TOPICS);
    }
    close(CloseCode.POLICY_VIOLATION.code(), NOT_READING);
  }

  @Override
  public void close(short status, String reason) {
    if (!ws.isClosed()) {
      ws.close(status, reason);
    }
    gone();
  }

  /** The socket closed, by its client or from here; true the first time. */
  boolean gone() {
    if (closed) {
      return false;
    }
    closed = true;
    onGone.run();
    return true;
  }

  /** Writes an encoded frame. */
  void text(String frame) {
    if (!closed && !SocketWrites.text(ws, frame)) {
      gone();
    }
  }
}
