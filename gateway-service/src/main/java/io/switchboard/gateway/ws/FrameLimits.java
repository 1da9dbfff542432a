package io.switchboard.gateway.ws;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

/**
 * FrameLimits recognises the failures Vert.x reports when a client exceeds the server's WebSocket
 * size limits.
 *
 * <p>Vert.x 5 enforces {@code maxWebSocketFrameSize} and {@code maxWebSocketMessageSize} but closes
 * without a close frame (the client sees 1006) for a frame over the limit, and for a fragmented
 * message over the limit only reports an exception and drops it, leaving the connection open. A
 * socket's exception handler uses this class to close with 1009 (message too big) instead.
 */
public final class FrameLimits {

  /** WebSocket close status 1009: message too big. */
  public static final short CLOSE_TOO_BIG = 1009;

  private FrameLimits() {
  }

  /** True when {@code failure} is Vert.x refusing a frame or message over the size limits. */
  public static boolean isOversize(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException) {
      return true;
    }
    return failure instanceof IllegalStateException
        && failure.getMessage() != null
        && failure.getMessage().contains("max message size");
  }
}
