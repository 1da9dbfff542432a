package io.switchboard.gateway.node;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * ConnectionCounts is the number of client connections open on this gateway node, summed over its
 * event loops. Each loop's {@link ConnectionRegistry} keeps it current; any thread may read it.
 */
public final class ConnectionCounts {

  private final AtomicInteger webSockets = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  /** WebSockets by endpoint, indexed by {@link Endpoint#ordinal()}; streams count as {@code sse}. */
  private final AtomicIntegerArray byEndpoint = new AtomicIntegerArray(Endpoint.values().length);

  public int webSocketCount() {
    return webSockets.get();
  }

  public int streamCount() {
    return streams.get();
  }

  /** Open connections of {@code endpoint}: its WebSockets, or for {@code sse} the streams. */
  public int count(Endpoint endpoint) {
    return endpoint == Endpoint.SSE ? streams.get() : byEndpoint.get(endpoint.ordinal());
  }

  void webSockets(Endpoint endpoint, int delta) {
    webSockets.addAndGet(delta);
    byEndpoint.addAndGet(endpoint.ordinal(), delta);
  }

  void streams(int delta) {
    streams.addAndGet(delta);
  }
}
