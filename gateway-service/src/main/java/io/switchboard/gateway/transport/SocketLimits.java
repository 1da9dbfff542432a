package io.switchboard.gateway.transport;

import io.switchboard.common.CloseCode;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.service.FatalErrors;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.LoggerFactory;

/**
 * SocketLimits applies the WebSocket rules shared by every endpoint: a message over the size limit
 * closes the connection with 1009, a text message that is not UTF-8 with 1007, another break of the
 * framing with 1002, and only real upgrade requests are upgraded.
 */
public final class SocketLimits {

  private static final LimitLog LIMITS = new LimitLog(LoggerFactory.getLogger(SocketLimits.class));

  private SocketLimits() {
  }

  /** How a session answers its client: an error frame, and a close. */
  public interface Answers {

    void error(ErrorCode code, String message);

    void close(short status, String reason);
  }

  /**
   * Answers a failure of a session's WebSocket by the rules every endpoint shares: a message over
   * the size limit gets {@code too-large} and a 1009 close, text that is not UTF-8 a 1007 close,
   * another break of the framing a 1002 close. {@code what} names the connection in the limit log.
   * Returns false for any other failure, which the session logs as it sees fit.
   */
  public static boolean answer(Throwable err, String what, Answers out) {
    FatalErrors.haltOnOutOfMemory(err);
    if (isOversize(err)) {
      LIMITS.hit("ws-too-large", "Closing {} with 1009: a message over the WebSocket limit"
          + " (WS_MAX_MESSAGE_BYTES)", what);
      out.error(ErrorCode.TOO_LARGE, "The message is over the gateway's WebSocket size limit");
      out.close(CloseCode.MESSAGE_TOO_BIG.code(), "message too big");
    } else if (isInvalidText(err)) {
      out.close(CloseCode.INVALID_PAYLOAD.code(), "text message is not valid UTF-8");
    } else if (isProtocolViolation(err)) {
      out.close(CloseCode.PROTOCOL_ERROR.code(), "protocol error");
    } else {
      return false;
    }
    return true;
  }

  /**
   * Closes the socket with 1009 when the peer sends a frame or message over the configured limit.
   * Vert.x reports both as exceptions and would otherwise drop the connection without a status.
   */
  public static void closeOnOversize(ServerWebSocket ws, int maxBytes) {
    ws.exceptionHandler(err -> {
      FatalErrors.haltOnOutOfMemory(err);
      if (isOversize(err)) {
        LIMITS.hit("ws-too-large", "Closing a WebSocket of {} with 1009: a message over {} bytes"
            + " (WS_MAX_MESSAGE_BYTES)", ws.path(), maxBytes);
        ws.close(CloseCode.MESSAGE_TOO_BIG.code(), "message larger than " + maxBytes + " bytes");
      } else if (isInvalidText(err)) {
        ws.close(CloseCode.INVALID_PAYLOAD.code(), "text message is not valid UTF-8");
      } else if (isProtocolViolation(err)) {
        ws.close(CloseCode.PROTOCOL_ERROR.code(), "protocol error");
      } else {
        ws.close(CloseCode.NORMAL.code(), "connection error");
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
