package io.switchboard.gateway.sse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

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

  /** {@code frame} as one chunk of HTTP/1.1 chunked transfer coding: size in hex, CRLF, bytes, CRLF. */
  public static byte[] chunk(Buffer frame) {
    byte[] size = (Integer.toHexString(frame.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] chunk = new byte[size.length + frame.length() + 2];
    System.arraycopy(size, 0, chunk, 0, size.length);
    frame.getBytes(chunk, size.length);
    chunk[chunk.length - 2] = '\r';
    chunk[chunk.length - 1] = '\n';
    return chunk;
  }

  /** A comment line, ignored by EventSource; keeps proxies from closing an idle stream. */
  public static Buffer comment(String text) {
    return Buffer.buffer(": " + text + "\n\n");
  }
}
