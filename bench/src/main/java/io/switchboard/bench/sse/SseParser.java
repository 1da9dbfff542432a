package io.switchboard.bench.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * SseParser turns a {@code text/event-stream} body, fed in arbitrary chunks, into events, following
 * the WHATWG event-stream rules: lines end in LF, CRLF or CR; a blank line dispatches; {@code data}
 * lines are joined with LF; comment lines (heartbeats) are ignored.
 */
public final class SseParser {

  private final Consumer<SseEvent> sink;
  private byte[] line = new byte[256];
  private int lineLength;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String id;
  private String lastEventId;
  private String event;
  private boolean afterCr;
  private long comments;

  public SseParser(Consumer<SseEvent> sink) {
    this.sink = sink;
  }

  public void feed(byte[] bytes) {
    for (byte b : bytes) {
      feed(b);
    }
  }

  /** Feeds bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buffer}. */
  public void feed(Buffer buffer, int from, int to) {
    for (int i = from; i < to; i++) {
      feed(buffer.getByte(i));
    }
  }

  private void feed(byte b) {
    if (afterCr) {
      afterCr = false;
      if (b == '\n') {
        return;
      }
    }
    if (b == '\n') {
      endLine();
    } else if (b == '\r') {
      afterCr = true;
      endLine();
    } else {
      if (lineLength == line.length) {
        line = Arrays.copyOf(line, line.length * 2);
      }
      line[lineLength++] = b;
    }
  }

  public void feed(String text) {
    feed(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Comment lines seen so far, for example heartbeats. */
  public long comments() {
    return comments;
  }

  /** The id of the last dispatched event that had one, as {@code Last-Event-ID} would carry. */
  public String lastEventId() {
    return lastEventId;
  }

  private void endLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      comments++;
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          id = value;
        }
      }
      case "event" -> event = value;
      default -> {
        // retry and unknown fields do not matter to a load tool.
      }
    }
  }

  private void dispatch() {
    if (id != null) {
      lastEventId = id;
    }
    if (hasData) {
      sink.accept(new SseEvent(id, event, data.toString()));
    }
    data.setLength(0);
    hasData = false;
    event = null;
    id = null;
  }
}
