package io.switchboard.gateway.transport;

import io.switchboard.common.CloseCode;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;

/**
 * SocketLimits applies the WebSocket rules shared by every endpoint: a message over the size limit
 * closes the connection with 1009, a text message that is not UTF-8 with 1007, another break of the
 * framing with 1002, and only real upgrade requests are upgraded.
 */
public final class SocketLimits {

  private SocketLimits() {
  }

  /**
   * Closes the socket with 1009 when the peer sends a frame or message over the configured limit.
   * Vert.x reports both as exceptions and would otherwise drop the connection without a status.
   */
  public static void closeOnOversize(ServerWebSocket ws, int maxBytes) {
    ws.exceptionHandler(err -> {
      if (isOversize(err)) {
        ws.close(CloseCode.MESSAGE_TOO_BIG.code(), "message larger than " + maxBytes + " bytes");
      } else if (isInvalidText(err)) {
        ws.close(CloseCode.INVALID_PAYLOAD.code(), "text message is not valid UTF-8");
      } else if (isProtocolViolation(err)) {
        ws.close(CloseCode.PROTOCOL_ERROR.code(), "protocol error");
      } else {
        ws.close();
      }
    });
  }

  /** True when {@code err} is Vert.x refusing a frame or message over the size limits. */
  public static boolean isOversize(Throwable err) {
    if (err instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus().code() == CloseCode.MESSAGE_TOO_BIG.code();
    }
    String message = err.getMessage();
    return message != null && message.contains("max message size");
  }

  /** True when the peer sent a text frame, or a fragment of a text message, that is not UTF-8. */
  public static boolean isInvalidText(Throwable err) {
    return err instanceof CorruptedWebSocketFrameException corrupted
        && corrupted.closeStatus().code() == CloseCode.INVALID_PAYLOAD.code();
  }

  /** True when the peer broke the WebSocket framing in another way than by size or by text. */
  public static boolean isProtocolViolation(Throwable err) {
    return err instanceof CorruptedWebSocketFrameException && !isOversize(err) && !isInvalidText(err);
  }

  /** True when the request asks for a WebSocket upgrade. */
  public static boolean isUpgrade(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }
}
