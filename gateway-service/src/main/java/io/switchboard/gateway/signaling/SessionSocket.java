package io.switchboard.gateway.signaling;

import io.switchboard.common.CloseCode;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.transport.SlowConsumers;
import io.switchboard.gateway.transport.SocketWrites;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SessionSocket is the writing side of a signaling connection: frames and errors to the client,
 * and the close of a client that stops reading. Once the socket is found closed, it writes nothing
 * more and tells its session, once.
 */
final class SessionSocket implements SocketAccess.Socket {

  private static final Logger LOG = LoggerFactory.getLogger(SessionSocket.class);
  private static final LimitLog LIMITS = new LimitLog(LOG);

  private final ServerWebSocket ws;
  private final String peerId;
  private final int maxQueuedFrames;
  private final Runnable onGone;
  private int framesWhileFull;
  private boolean closed;

  /** {@code onGone} runs when the socket is found closed, or is closed from here. */
  SessionSocket(ServerWebSocket ws, String peerId, int maxQueuedFrames, Runnable onGone) {
    this.ws = ws;
    this.peerId = peerId;
    this.maxQueuedFrames = maxQueuedFrames;
    this.onGone = onGone;
  }

  boolean closed() {
    return closed;
  }

  /** Marks the socket closed; true the first time only. */
  boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  void error(ErrorCode code, String message) {
    // Errors are advice: a client that does not read them gets no more of them.
    if (!closed && !SocketWrites.full(ws)) {
      send(code.toFrame(message).encode());
    }
  }

  void write(JsonObject frame) {
    writeText(frame.encode());
  }

  @Override
  public void send(JsonObject frame) {
    write(frame);
  }

  void writeText(String frame) {
    if (closed) {
      return;
    }
    if (SocketWrites.full(ws)) {
      // A client that stops reading must not grow this node's memory without bound.
      if (++framesWhileFull > maxQueuedFrames) {
        LIMITS.hit("signaling-slow-client", LogFields.of(LogFields.PEER, peerId), "Closing signaling connection {} with 1008: {} frames queued"
            + " while it does not read (SIGNALING_MAX_QUEUED_FRAMES)", peerId, maxQueuedFrames);
        SlowConsumers.cut(SlowConsumers.SIGNALING);
        close(CloseCode.POLICY_VIOLATION.code(), "not reading");
        return;
      }
    } else {
      framesWhileFull = 0;
    }
    send(frame);
  }

  @Override
  public void close(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
    onGone.run();
  }

  private void send(String frame) {
    if (!SocketWrites.text(ws, frame)) {
      // Closed under this session, before its close handler ran: it is gone all the same.
      LOG.atDebug().addKeyValue(LogFields.PEER, peerId)
          .log("Signaling connection {} closed before its close handler ran", peerId);
      onGone.run();
    }
  }
}
