package io.switchboard.gateway.transport;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;

/**
 * SocketLimits applies the WebSocket rules shared by every endpoint: a message over the size limit
 * closes the connection with 1009, and only real upgrade requests are upgraded.
 */
public final class SocketLimits {

  /** Close status for a message over the size limit: 1009, message too big. */
  public static final short MESSAGE_TOO_BIG = 1009;
  /** Close status for a frame that breaks the WebSocket framing: 1002, protocol error. */
  public static final short PROTOCOL_ERROR = 1002;

  private SocketLimits() {
  }

  /**
   * Closes the socket with 1009 when the peer sends a frame or message over the configured limit.
   * Vert.x reports both as exceptions and would otherwise drop the connection without a status.
   */
  public static void closeOnOversize(ServerWebSocket ws, int maxBytes) {
    ws.exceptionHandler(err -> {
      if (isOversize(err)) {
        ws.close(MESSAGE_TOO_BIG, "message larger than " + maxBytes + " bytes");
      } else if (isProtocolViolation(err)) {
        ws.close(PROTOCOL_ERROR, "protocol error");
      } else {
        ws.close();
      }
    });
  }

  /** True when {@code err} is Vert.x refusing a frame or message over the size limits. */
  public static boolean isOversize(Throwable err) {
    if (err instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus().code() == MESSAGE_TOO_BIG;
    }
    String message = err.getMessage();
    return message != null && message.contains("max message size");
  }

  /** True when the peer broke the WebSocket framing in another way than by size. */
  public static boolean isProtocolViolation(Throwable err) {
    return err instanceof CorruptedWebSocketFrameException && !isOversize(err);
  }

  /** True when the request asks for a WebSocket upgrade. */
  public static boolean isUpgrade(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }
}
