package io.switchboard.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import java.net.URI;
import java.util.Locale;

/**
 * RawSseStream reads one event stream over a plain TCP connection: it writes an HTTP/1.1
 * {@code GET}, checks for a {@code 200}, and undoes chunked transfer coding itself before the
 * {@link ProbeParser}.
 *
 * <p>A load tool that holds ten thousand streams on the machine of the server it measures must
 * cost that server as little CPU as it can. Compared with Vert.x's HTTP client this skips the HTTP
 * object decoder and one dispatch per chunk; compared with a plain {@code NetSocket} handler it
 * skips a copy into a {@code Buffer} and the socket's inbound queue: Netty's bytes are copied once
 * into a scratch array of the event loop's and read there. What is left is the system call that
 * reads the bytes and a loop over them.
 */
final class RawSseStream {

  private enum State { HEAD, SIZE, DATA, DATA_END, BODY, DONE }

  /** Each event loop's array the bytes of one read are copied to; grown as needed. */
  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[4096];
    }
  };

  private final ProbeParser parser;
  private final Promise<Void> opened = Promise.promise();
  private Runnable onEnd = () -> { };
  private final StringBuilder head = new StringBuilder();
  private State state = State.HEAD;
  private long chunkLeft;
  private long size;
  private boolean sizeDigits;
  private boolean sizeExtension;

  private RawSseStream(ProbeParser parser) {
    this.parser = parser;
  }

  /**
   * Connects with {@code client} and asks for {@code url}; the future completes once the server
   * answered {@code 200} with its head. {@code onEnd} runs if the stream ends or fails after that.
   */
  static Future<RawSseStream> open(NetClient client, String url, ProbeParser parser, Runnable onEnd) {
    URI uri = URI.create(url);
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    RawSseStream stream = new RawSseStream(parser);
    stream.onEnd = onEnd;
    return client.connect(port, uri.getHost()).compose(socket -> {
      ((NetSocketInternal) socket).messageHandler(stream::onMessage);
      socket.exceptionHandler(err -> stream.end(err.toString()));
      socket.closeHandler(v -> stream.end("connection closed"));
      return socket.write("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
              + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
          .compose(v -> stream.opened.future())
          .map(v -> stream)
          .onFailure(err -> socket.close());
    });
  }

  private void end(String why) {
    if (!opened.tryFail(why) && state != State.DONE) {
      state = State.DONE;
      onEnd.run();
    }
  }

  private void onMessage(Object message) {
    try {
      if (message instanceof ByteBuf buf) {
        int length = buf.readableBytes();
        byte[] bytes = SCRATCH.get();
        if (bytes.length < length) {
          bytes = new byte[Math.max(length, bytes.length * 2)];
          SCRATCH.set(bytes);
        }
        buf.getBytes(buf.readerIndex(), bytes, 0, length);
        onBytes(bytes, length);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void onBytes(byte[] buffer, int length) {
    int i = 0;
    while (i < length && state != State.DONE) {
      switch (state) {
        case HEAD -> i = readHead(buffer, i, length);
        case SIZE -> i = readSize(buffer, i, length);
        case DATA -> {
          int take = (int) Math.min(chunkLeft, length - i);
          parser.feed(buffer, i, i + take);
          i += take;
          chunkLeft -= take;
          if (chunkLeft == 0) {
            state = State.DATA_END;
          }
        }
        case DATA_END -> {
          // The CRLF after a chunk's data.
          byte b = buffer[i++];
          if (b == '\n') {
            state = State.SIZE;
          }
        }
        case BODY -> {
          parser.feed(buffer, i, length);
          i = length;
        }
        default -> i = length;
      }
    }
  }

  private int readHead(byte[] buffer, int i, int length) {
    while (i < length) {
      head.append((char) (buffer[i++] & 0xff));
      int n = head.length();
      if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r'
          && head.charAt(n - 3) == '\n' && head.charAt(n - 4) == '\r') {
        String text = head.toString();
        String status = text.substring(0, Math.max(0, text.indexOf('\r')));
        String[] parts = status.split(" ");
        if (parts.length < 2 || !parts[1].equals("200")) {
          opened.tryFail("stream answered " + status);
          state = State.DONE;
          return length;
        }
        state = text.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked") ? State.SIZE : State.BODY;
        resetSize();
        opened.tryComplete();
        return i;
      }
      if (n > 16 * 1024) {
        opened.tryFail("response head over 16 KiB");
        state = State.DONE;
        return length;
      }
    }
    return i;
  }

  private int readSize(byte[] buffer, int i, int length) {
    while (i < length) {
      byte b = buffer[i++];
      if (b == '\n') {
        if (!sizeDigits) {
          // The blank line before a chunk size: tolerated, nothing to read.
          continue;
        }
        if (size == 0) {
          state = State.DONE;
          onEnd.run();
          return length;
        }
        chunkLeft = size;
        state = State.DATA;
        resetSize();
        return i;
      }
      if (b == '\r' || sizeExtension) {
        continue;
      }
      if (b == ';') {
        sizeExtension = true;
        continue;
      }
      int digit = Character.digit(b, 16);
      if (digit < 0) {
        end("bad chunk size byte " + (b & 0xff));
        return length;
      }
      size = size * 16 + digit;
      sizeDigits = true;
    }
    return i;
  }

  private void resetSize() {
    size = 0;
    sizeDigits = false;
    sizeExtension = false;
  }
}
