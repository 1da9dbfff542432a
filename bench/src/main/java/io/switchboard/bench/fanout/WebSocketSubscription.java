package io.switchboard.bench.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.bench.signaling.EngineIo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocketSubscription is one subscriber of a topic over a WebSocket, speaking one server's
 * protocol: Switchboard's {@code /ws/topics} ({@code subscribe}, then {@code subscribed}), or
 * Socket.IO with the fan-out peer of {@code bench/peers/socketio-fanout.js} ({@code subscribe},
 * then {@code subscribed}). Every message after that which holds a probe goes to the sink.
 *
 * <p>The WebSocket is spoken over a plain TCP connection, as {@link RawSseStream} speaks HTTP: the
 * upgrade request, then the frames (RFC 6455) read straight from Netty's bytes into one array per
 * connection. Vert.x's WebSocket client cost the shared machine more CPU per delivery than the
 * server it measured.
 */
final class WebSocketSubscription {

  /** The protocols a subscriber speaks. */
  enum Protocol { SWITCHBOARD, SOCKETIO }

  private enum State { HEAD, FRAME_HEAD, PAYLOAD, DONE }

  private static final int OP_TEXT = 0x1;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  private final NetSocket socket;
  private final Protocol protocol;
  private final String topic;
  private final ProbeParser.Sink sink;
  private final Runnable onEnd;
  private final Promise<Void> subscribed = Promise.promise();
  private final StringBuilder head = new StringBuilder();
  private State state = State.HEAD;
  /** The frame header read so far: at most 2 + 8 bytes (servers do not mask). */
  private final byte[] frameHead = new byte[10];
  private int frameHeadRead;
  private int opcode;
  private boolean fin;
  private long payloadLeft;
  /** The message being read, possibly over several frames and reads. */
  private byte[] message = new byte[256];
  private int messageLength;
  private int messageOpcode;

  private WebSocketSubscription(NetSocket socket, Protocol protocol, String topic, ProbeParser.Sink sink,
      Runnable onEnd) {
    this.socket = socket;
    this.protocol = protocol;
    this.topic = topic;
    this.sink = sink;
    this.onEnd = onEnd;
  }

  static Protocol protocol(String name) {
    return switch (name) {
      case "switchboard" -> Protocol.SWITCHBOARD;
      case "socketio" -> Protocol.SOCKETIO;
      default -> throw new IllegalArgumentException("--protocol: expected switchboard or socketio");
    };
  }

  /** Connects, upgrades and subscribes; completes once the server confirmed the subscription. */
  static Future<Void> open(NetClient client, String url, Protocol protocol, String topic, ProbeParser.Sink sink,
      Runnable onEnd) {
    URI uri = URI.create(url);
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return client.connect(port, uri.getHost()).compose(socket -> {
      WebSocketSubscription s = new WebSocketSubscription(socket, protocol, topic, sink, onEnd);
      ((NetSocketInternal) socket).messageHandler(s::onNetty);
      socket.exceptionHandler(err -> s.end(err.toString()));
      socket.closeHandler(v -> s.end("connection closed"));
      return socket.write("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n")
          .compose(v -> s.subscribed.future())
          .onFailure(err -> socket.close());
    });
  }

  private void end(String why) {
    if (!subscribed.tryFail(why) && state != State.DONE) {
      state = State.DONE;
      onEnd.run();
    }
    state = State.DONE;
  }

  private void onNetty(Object msg) {
    try {
      if (msg instanceof ByteBuf buf) {
        while (buf.isReadable() && state != State.DONE) {
          switch (state) {
            case HEAD -> readHead(buf);
            case FRAME_HEAD -> readFrameHead(buf);
            case PAYLOAD -> readPayload(buf);
            default -> buf.skipBytes(buf.readableBytes());
          }
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void readHead(ByteBuf buf) {
    while (buf.isReadable()) {
      head.append((char) (buf.readByte() & 0xff));
      int n = head.length();
      if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r'
          && head.charAt(n - 3) == '\n' && head.charAt(n - 4) == '\r') {
        String status = head.substring(0, Math.max(0, head.indexOf("\r")));
        String[] parts = status.split(" ");
        if (parts.length < 2 || !parts[1].equals("101")) {
          end("upgrade answered " + status);
          return;
        }
        state = State.FRAME_HEAD;
        if (protocol == Protocol.SWITCHBOARD) {
          send(new JsonObject().put("type", "subscribe").put("topic", topic).encode());
        }
        return;
      }
      if (n > 16 * 1024) {
        end("response head over 16 KiB");
        return;
      }
    }
  }

  private void readFrameHead(ByteBuf buf) {
    while (buf.isReadable()) {
      frameHead[frameHeadRead++] = buf.readByte();
      if (frameHeadRead < 2) {
        continue;
      }
      int len7 = frameHead[1] & 0x7f;
      int needed = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
      if (frameHeadRead < needed) {
        continue;
      }
      fin = (frameHead[0] & 0x80) != 0;
      opcode = frameHead[0] & 0x0f;
      payloadLeft = len7 < 126 ? len7 : len7 == 126
          ? ((frameHead[2] & 0xff) << 8) | (frameHead[3] & 0xff)
          : Buffer.buffer(Arrays.copyOfRange(frameHead, 2, 10)).getLong(0);
      frameHeadRead = 0;
      if (opcode != 0) {
        messageOpcode = opcode;
        messageLength = 0;
      }
      if (payloadLeft > 16 * 1024 * 1024) {
        end("a frame of " + payloadLeft + " bytes");
        return;
      }
      state = State.PAYLOAD;
      if (payloadLeft == 0) {
        frameDone();
      }
      return;
    }
  }

  private void readPayload(ByteBuf buf) {
    int take = (int) Math.min(payloadLeft, buf.readableBytes());
    if (message.length < messageLength + take) {
      message = Arrays.copyOf(message, Math.max(messageLength + take, message.length * 2));
    }
    buf.readBytes(message, messageLength, take);
    messageLength += take;
    payloadLeft -= take;
    if (payloadLeft == 0) {
      frameDone();
    }
  }

  private void frameDone() {
    state = State.FRAME_HEAD;
    if (opcode == OP_CLOSE) {
      end("closed by the server");
      socket.close();
    } else if (opcode == OP_PING) {
      write(OP_PONG, Arrays.copyOf(message, messageLength));
    } else if (fin && messageOpcode == OP_TEXT) {
      onMessage();
    }
  }

  private void onMessage() {
    if (subscribed.future().isComplete()) {
      if (protocol == Protocol.SOCKETIO && messageLength == 1 && message[0] == '2') {
        send(EngineIo.PONG);
      } else {
        ProbeFields.read(message, 0, messageLength, sink);
      }
      return;
    }
    String text = new String(message, 0, messageLength, StandardCharsets.UTF_8);
    if (protocol == Protocol.SWITCHBOARD) {
      String type = new JsonObject(text).getString("type");
      if ("subscribed".equals(type)) {
        subscribed.tryComplete();
      } else if ("error".equals(type)) {
        subscribed.tryFail(text);
      }
      return;
    }
    EngineIo.Packet packet = EngineIo.decode(text);
    if (packet.isOpen()) {
      send(EngineIo.CONNECT_DEFAULT_NAMESPACE);
    } else if (packet.isPing()) {
      send(EngineIo.PONG);
    } else if (packet.isConnect()) {
      send(EngineIo.event("subscribe", topic));
    } else if (packet.isEvent() && "subscribed".equals(new JsonArray(packet.json()).getString(0))) {
      subscribed.tryComplete();
    }
  }

  private void send(String text) {
    write(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one final frame, masked as a client's must be. */
  private void write(int op, byte[] payload) {
    Buffer frame = Buffer.buffer(payload.length + 14).appendByte((byte) (0x80 | op));
    if (payload.length < 126) {
      frame.appendByte((byte) (0x80 | payload.length));
    } else {
      frame.appendByte((byte) (0x80 | 126)).appendShort((short) payload.length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.appendBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.appendByte((byte) (payload[i] ^ mask[i & 3]));
    }
    socket.write(frame);
  }
}
