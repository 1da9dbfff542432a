package io.switchboard.gateway.echo;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.node.EchoConfig;
import io.switchboard.gateway.transport.BusErrors;
import io.switchboard.gateway.transport.SocketWrites;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * EchoSession forwards one WebSocket's messages to echo-service, through the node's
 * {@link EchoForwarder}, and writes the replies back in the order the messages arrived.
 *
 * <p>Requests are pipelined: several may be in flight at once, possibly in different batches on
 * different echo instances, and a reply is written only once every earlier one has been. When too many are in
 * flight, or the socket's write queue is full, the session stops reading from the socket, so a
 * fast sender is slowed by TCP backpressure instead of growing the gateway's memory.
 *
 * <p>A connection opened with a token that expires is warned and then closed like every WebSocket
 * (see {@link SocketAccess}). On such a connection only, a text message that is a JSON object of
 * {@code "type":"refresh"} renews the token instead of being echoed; its answer, {@code refreshed}
 * or an error frame, takes its place in the order of replies. Every other message is echoed.
 */
public final class EchoSession {

  private final ServerWebSocket ws;
  private final EchoForwarder forwarder;
  private final EchoConfig config;
  private final ArrayDeque<Future<Object>> pending = new ArrayDeque<>();
  private final Runnable onClose;
  private final RateMeter messages;
  private final SocketAccess access;
  private boolean paused;
  private boolean closed;

  public EchoSession(ServerWebSocket ws, EchoForwarder forwarder, EchoConfig config,
      RateMeter messages, SocketAccess access, Runnable onClose) {
    this.ws = ws;
    this.access = access;
    this.messages = messages;
    this.onClose = onClose;
    this.forwarder = forwarder;
    this.config = config;
  }

  public void start() {
    if (ws.isClosed()) {
      // Closed by its client already: Vert.x would refuse the handlers, and no close handler runs.
      gone();
      return;
    }
    ws.textMessageHandler(this::forward);
    ws.binaryMessageHandler(this::forward);
    ws.drainHandler(v -> updateFlow());
    ws.closeHandler(v -> gone());
    access.watch(new SocketAccess.Socket() {
      @Override
      public void send(JsonObject frame) {
        if (!closed && !SocketWrites.text(ws, frame.encode())) {
          gone();
        }
      }

      @Override
      public void close(short status, String reason) {
        ws.close(status, reason);
        gone();
      }
    });
  }

  /** The socket closed: by its close handler, or found closed by a write before that ran. */
  private void gone() {
    if (closed) {
      return;
    }
    closed = true;
    access.stop();
    pending.clear();
    onClose.run();
  }

  private void forward(Object body) {
    JsonObject refresh = access.expires() && body instanceof String text ? refreshMessage(text) : null;
    Future<Object> reply;
    if (refresh != null) {
      reply = access.refresh(refresh).map(frame -> (Object) frame.encode());
    } else {
      messages.mark();
      reply = forwarder.forward(body);
    }
    pending.add(reply);
    reply.onComplete(ar -> flush());
    updateFlow();
  }

  /** The message as a {@code refresh}, or null when it is something to echo. */
  private static JsonObject refreshMessage(String text) {
    // Most messages are not JSON at all: only parse those that could be a refresh.
    if (!text.contains("\"" + SocketAccess.REFRESH + "\"")) {
      return null;
    }
    try {
      JsonObject message = new JsonObject(text);
      return SocketAccess.REFRESH.equals(message.getValue("type")) ? message : null;
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  private void flush() {
    while (!pending.isEmpty() && pending.peek().isComplete()) {
      write(pending.poll());
    }
    updateFlow();
  }

  private void write(Future<Object> reply) {
    if (closed) {
      return;
    }
    boolean written;
    if (reply.succeeded()) {
      Object body = reply.result();
      written = body instanceof Buffer bytes ? SocketWrites.binary(ws, bytes)
          : SocketWrites.text(ws, String.valueOf(body));
    } else {
      ErrorCode code = BusErrors.code(reply.cause());
      String message = BusErrors.message(reply.cause(), "echo", config.timeout());
      written = SocketWrites.text(ws, code.toFrame(message).encode());
    }
    if (!written) {
      gone();
    }
  }

  private void updateFlow() {
    if (closed) {
      return;
    }
    boolean shouldPause = pending.size() >= config.maxInFlight() || SocketWrites.full(ws);
    if (shouldPause && !paused) {
      paused = true;
      ws.pause();
    } else if (!shouldPause && paused) {
      paused = false;
      ws.resume();
    }
  }
}
