package io.switchboard.gateway.node;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * ConnectionCounts is the number of client connections open on this gateway node, summed over its
 * event loops. Each loop's {@link ConnectionRegistry} keeps it current; any thread may read it.
 */
public final class ConnectionCounts {

  private final AtomicInteger webSockets = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();

  public int webSocketCount() {
    return webSockets.get();
  }

  public int streamCount() {
    return streams.get();
  }

  void webSockets(int delta) {
    webSockets.addAndGet(delta);
  }

  void streams(int delta) {
    streams.addAndGet(delta);
  }
}
