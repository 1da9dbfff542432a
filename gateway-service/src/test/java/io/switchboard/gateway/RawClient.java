package io.switchboard.gateway;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * RawClient is an HTTP/1.1 and WebSocket client on a plain blocking socket, for tests that must do
 * what a client library would not: send nothing, send request headers a byte at a time, leave pings
 * unanswered, send a text frame that is not UTF-8, or read the plain HTTP answer to a refused
 * upgrade. Used from the test thread only, never from an event loop.
 */
public final class RawClient implements AutoCloseable {

  /** WebSocket opcodes. */
  public static final int TEXT = 0x1;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int port;

  private RawClient(int port) throws IOException {
    this.port = port;
    this.socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects and sends nothing. */
  public static RawClient connect(int port) {
    try {
      return new RawClient(port);
    } catch (IOException e) {
      throw new AssertionError("Could not connect to port " + port + ": " + e, e);
    }
  }

  /** An HTTP response: status, headers (lower-case names) and body. */
  public record Response(int status, Map<String, String> headers, String body) {

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** One WebSocket frame as the server sent it. */
  public record Frame(int opcode, boolean fin, byte[] payload) {

    /** The status of a close frame, 1005 when it has none. */
    public int closeStatus() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /** Sends {@code GET path} with {@code headers} (lines without CRLF) and reads the response. */
  public Response get(String path, String... headers) {
    sendRaw(requestHead(path, headers));
    return readResponse();
  }

  /** Asks for a WebSocket upgrade; the response is {@code 101} or a refusal with its body. */
  public Response upgrade(String path, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Upgrade: websocket";
    all[1] = "Connection: Upgrade";
    all[2] = "Sec-WebSocket-Key: c3dpdGNoYm9hcmQtdGVzdA==";
    all[3] = "Sec-WebSocket-Version: 13";
    System.arraycopy(headers, 0, all, 4, headers.length);
    sendRaw(requestHead(path, all));
    return readResponse();
  }

  /** The head of a GET request, ready to send. */
  public String requestHead(String path, String... headers) {
    StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  public void sendRaw(String text) {
    sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends bytes; a failed write (the server closed) is ignored, reads tell what happened. */
  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      // The server closed its side; what it sent before is still readable.
    }
  }

  /** Sends one masked client frame. */
  public void sendFrame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = {7, 11, 13, 17};
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    sendRaw(frame.toByteArray());
  }

  public Response readResponse() {
    try {
      String statusLine = readLine();
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
          new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("No HTTP response: " + e, e);
    }
  }

  /** The next frame, waiting up to {@code timeout}. */
  public Frame readFrame(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      int first = readByte();
      int second = readByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = (readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
      }
      return new Frame(first & 0x0f, (first & 0x80) != 0, in.readNBytes((int) length));
    } catch (IOException e) {
      throw new AssertionError("No frame within " + timeout + ": " + e, e);
    }
  }

  /**
   * True when the server closes the connection within {@code timeout}, whatever it sends first;
   * false when it is still open then.
   */
  public boolean closedWithin(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] drain = new byte[8192];
    try {
      while (true) {
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        socket.setSoTimeout((int) Math.max(1, left));
        if (in.read(drain) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // Reset by the server: closed too.
      return true;
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("connection closed");
    }
    return b;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = readByte(); b != '\n'; b = readByte()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException | RuntimeException e) {
      // Closing a test socket: nothing to do.
    }
  }
}
