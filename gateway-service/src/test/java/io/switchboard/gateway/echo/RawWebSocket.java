package io.switchboard.gateway.echo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RawWebSocket is a WebSocket client on a plain blocking socket, for tests that must send what a
 * well-behaved client library would not: a frame header with no payload yet, or bytes that keep
 * coming after the server closed. Used from the test thread only, never from an event loop.
 */
final class RawWebSocket implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects and completes the opening handshake; the bytes after the 101 response stay unread. */
  static RawWebSocket connect(int port, String path) throws IOException {
    RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
    ws.socket.setSoTimeout(10_000);
    String key = Base64.getEncoder().encodeToString("switchboard-test".getBytes(StandardCharsets.US_ASCII));
    ws.out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = ws.in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
    return ws;
  }

  /**
   * Sends, in one write, the header of a masked text frame announcing {@code announced} payload
   * bytes and the first {@code sent} of them: the server gets the refused header with more bytes
   * behind it. A failed write (the server closed already) is ignored: what matters is what the
   * server sent before.
   */
  void sendOversizedFrame(long announced, int sent) {
    byte[] frame = new byte[14 + sent];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | 127);
    for (int k = 0; k < 8; k++) {
      frame[2 + k] = (byte) (announced >>> (56 - 8 * k));
    }
    frame[10] = 1;
    frame[11] = 2;
    frame[12] = 3;
    frame[13] = 4;
    sendRaw(frame);
  }

  /** Sends {@code bytes} as they are, ignoring a failed write like {@link #sendOversizedFrame}. */
  void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      // The server closed its side already.
    }
  }

  /**
   * Writes filler bytes as fast as the connection takes them until the server closes it or
   * {@code max} has passed; true when the server closed it.
   */
  boolean sendFillerUntilClosed(java.time.Duration max) {
    byte[] chunk = new byte[16 * 1024];
    long deadline = System.nanoTime() + max.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        out.write(chunk);
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Reads every byte the server sends until it closes the connection. A reset before the end is
   * reported as an IOException: whatever the server sent was then lost, close frame included.
   */
  byte[] readUntilClosed() throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      received.write(buffer, 0, n);
    }
    return received.toByteArray();
  }

  /** The status of the close frame among {@code frames} (unmasked server frames), or -1. */
  static int closeStatus(byte[] frames) {
    int i = 0;
    while (i + 10 <= frames.length || (i + 2 <= frames.length && (frames[i + 1] & 0x7f) < 126)) {
      int opcode = frames[i] & 0x0f;
      long length = frames[i + 1] & 0x7f;
      int headerLength = 2;
      if (length == 126) {
        length = ((frames[i + 2] & 0xff) << 8) | (frames[i + 3] & 0xff);
        headerLength = 4;
      } else if (length == 127) {
        length = 0;
        for (int k = 0; k < 8; k++) {
          length = (length << 8) | (frames[i + 2 + k] & 0xff);
        }
        headerLength = 10;
      }
      int payload = i + headerLength;
      if (opcode == 0x8) {
        if (payload + Math.min(length, 2) > frames.length) {
          return -1;
        }
        return length >= 2 ? ((frames[payload] & 0xff) << 8) | (frames[payload + 1] & 0xff) : 1005;
      }
      i = payload + (int) length;
    }
    return -1;
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
