package io.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * SseWriter is the one serializer of the text/event-stream format: response headers, events and
 * comments, for the topic streams and the cluster view stream alike.
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
   * Answers a {@code HEAD} request for a stream: the headers a {@code GET} would start with, and no
   * stream, so nothing is opened, held or counted.
   */
  public static void head(HttpServerResponse response) {
    open(response);
    response.end();
  }

  /**
   * One event. A line break inside {@code data} becomes several {@code data:} lines, which
   * EventSource joins back with {@code \n}; {@code id} and {@code type} are omitted when null.
   */
  public static Buffer event(String id, String type, String data) {
    return event(id, type, data, -1);
  }

  /**
   * One event that also sets the client's reconnection time to {@code retryMillis} with a
   * {@code retry:} line, or leaves it when {@code retryMillis} is negative. EventSource waits that
   * long before it reconnects after this stream ends, and after any later drop.
   */
  public static Buffer event(String id, String type, String data, long retryMillis) {
    StringBuilder frame = new StringBuilder(data.length() + 64);
    if (id != null) {
      frame.append("id: ").append(id).append('\n');
    }
    if (type != null) {
      frame.append("event: ").append(type).append('\n');
    }
    if (retryMillis >= 0) {
      frame.append("retry: ").append(retryMillis).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return Buffer.buffer(frame.append('\n').toString());
  }

  /**
   * {@code frame} as one chunk of HTTP/1.1 chunked transfer coding (size in hex, CRLF, bytes, CRLF),
   * in pooled off-heap memory that sockets write from without a copy. Write
   * {@code retainedDuplicate()}s of it, never the buffer itself, and release it when done.
   */
  public static ByteBuf chunk(Buffer frame) {
    byte[] size = (Integer.toHexString(frame.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    int length = size.length + frame.length() + 2;
    ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
    ByteBuf bytes = VertxNetty.byteBuf(frame);
    return chunk.writeBytes(size).writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes())
        .writeByte('\r').writeByte('\n');
  }

  /**
   * An {@code id} field alone: EventSource sets its last event id to {@code id}, which it sends back
   * as {@code Last-Event-ID} when it reconnects, and dispatches no event, since there is no data.
   */
  public static Buffer position(String id) {
    return Buffer.buffer("id: " + id + "\n\n");
  }

  /** A comment line, ignored by EventSource; keeps proxies from closing an idle stream. */
  public static Buffer comment(String text) {
    return Buffer.buffer(": " + text + "\n\n");
  }
}
