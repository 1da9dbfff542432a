package io.switchboard.bench.signaling;

import io.vertx.core.json.JsonArray;

/**
 * EngineIo encodes and decodes the Socket.IO v5 packets carried in Engine.IO v4 WebSocket frames:
 * the first character is the Engine.IO type ({@code 0} open, {@code 2} ping, {@code 3} pong,
 * {@code 4} message), and a message's next character is the Socket.IO type ({@code 0} connect,
 * {@code 2} event), followed by JSON.
 */
public final class EngineIo {

  public static final String PONG = "3";
  public static final String CONNECT_DEFAULT_NAMESPACE = "40";

  private EngineIo() {
  }

  /** A decoded frame: Engine.IO type, Socket.IO type (or -1) and the JSON payload (or null). */
  public record Packet(int engineType, int socketType, String json) {

    public boolean isOpen() {
      return engineType == 0;
    }

    public boolean isPing() {
      return engineType == 2;
    }

    public boolean isConnect() {
      return engineType == 4 && socketType == 0;
    }

    public boolean isEvent() {
      return engineType == 4 && socketType == 2;
    }

    /** For an event, {@code [name, arg...]}. */
    public JsonArray eventArgs() {
      return new JsonArray(json);
    }
  }

  /** The frame that emits {@code name} with {@code args} on the default namespace. */
  public static String event(String name, Object... args) {
    JsonArray array = new JsonArray().add(name);
    for (Object arg : args) {
      array.add(arg);
    }
    return "42" + array.encode();
  }

  public static Packet decode(String frame) {
    if (frame.isEmpty() || !Character.isDigit(frame.charAt(0))) {
      throw new IllegalArgumentException("not an Engine.IO frame: " + abbreviate(frame));
    }
    int engineType = frame.charAt(0) - '0';
    if (engineType != 4) {
      return new Packet(engineType, -1, frame.length() > 1 ? frame.substring(1) : null);
    }
    if (frame.length() < 2 || !Character.isDigit(frame.charAt(1))) {
      throw new IllegalArgumentException("not a Socket.IO packet: " + abbreviate(frame));
    }
    int socketType = frame.charAt(1) - '0';
    int start = 2;
    // An optional namespace ("/chat,") and ack id precede the JSON; the default namespace has none.
    if (frame.length() > start && frame.charAt(start) == '/') {
      int comma = frame.indexOf(',', start);
      start = comma < 0 ? frame.length() : comma + 1;
    }
    while (start < frame.length() && Character.isDigit(frame.charAt(start))) {
      start++;
    }
    return new Packet(4, socketType, start < frame.length() ? frame.substring(start) : null);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
