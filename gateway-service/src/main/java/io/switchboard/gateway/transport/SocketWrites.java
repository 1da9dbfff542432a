package io.switchboard.gateway.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;

/**
 * SocketWrites writes to a WebSocket that may have closed under its owner. Vert.x counts a
 * WebSocket as closed from the moment the client's close frame arrives, before the connection is
 * gone and its close handler runs; from then on {@code writeQueueFull()} throws and writes fail.
 * Here a closed socket is never written, and a write it refuses reports the socket gone, so that
 * its owner cleans up at once rather than throw in the middle of a delivery to many sockets.
 * Used on the socket's event loop.
 */
public final class SocketWrites {

  private SocketWrites() {
  }

  /** Whether writes are piling up for the socket; false for a closed one, which no write reaches. */
  public static boolean full(WebSocketBase ws) {
    try {
      return !ws.isClosed() && ws.writeQueueFull();
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Writes a text message; false when the socket is gone, and its owner must let it go. */
  public static boolean text(WebSocketBase ws, String text) {
    if (ws.isClosed()) {
      return false;
    }
    try {
      return !ws.writeTextMessage(text).failed();
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Writes a binary message; false when the socket is gone, and its owner must let it go. */
  public static boolean binary(WebSocketBase ws, Buffer bytes) {
    if (ws.isClosed()) {
      return false;
    }
    try {
      return !ws.writeBinaryMessage(bytes).failed();
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
