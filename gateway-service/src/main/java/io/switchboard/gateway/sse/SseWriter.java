package io.switchboard.gateway.sse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * SseWriter is the one serializer of the text/event-stream format: response headers, events and
 * comments.
 */
public final class SseWriter {

  private SseWriter() {
  }

  /** Starts a stream: status 200, the SSE headers, chunked so it can stay open. */
  public static void open(HttpServerResponse response) {
    response.setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        // Tells nginx and compatible proxies not to buffer the stream.
        .putHeader("X-Accel-Buffering", "no")
        .setChunked(true);
  }

  /**
   * One event. A line break inside {@code data} becomes several {@code data:} lines, which
   * EventSource joins back with {@code \n}; {@code type} is omitted when null.
   */
  public static Buffer event(String id, String type, String data) {
    StringBuilder frame = new StringBuilder(data.length() + 64);
    frame.append("id: ").append(id).append('\n');
    if (type != null) {
      frame.append("event: ").append(type).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return Buffer.buffer(frame.append('\n').toString());
  }

  /** A comment line, ignored by EventSource; keeps proxies from closing an idle stream. */
  public static Buffer comment(String text) {
    return Buffer.buffer(": " + text + "\n\n");
  }
}
