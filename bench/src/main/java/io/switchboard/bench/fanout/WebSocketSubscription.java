package io.switchboard.bench.fanout;

import io.switchboard.bench.signaling.EngineIo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * WebSocketSubscription is one subscriber of a topic over a WebSocket, speaking one server's
 * protocol: Switchboard's {@code /ws/topics} ({@code subscribe}, then {@code subscribed}), or
 * Socket.IO with the fan-out peer of {@code bench/peers/socketio-fanout.js} ({@code subscribe},
 * then {@code subscribed}). Every message after that which holds a probe goes to the sink.
 */
final class WebSocketSubscription {

  /** The protocols a subscriber speaks. */
  enum Protocol { SWITCHBOARD, SOCKETIO }

  private final ClientWebSocket ws;
  private final Protocol protocol;
  private final String topic;
  private final ProbeParser.Sink sink;
  private final Runnable onEnd;
  private final Promise<Void> subscribed = Promise.promise();

  private WebSocketSubscription(WebSocketClient client, Protocol protocol, String topic, ProbeParser.Sink sink,
      Runnable onEnd) {
    this.ws = client.webSocket();
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

  /** Connects and subscribes; completes once the server confirmed the subscription. */
  static Future<Void> open(WebSocketClient client, WebSocketConnectOptions target, Protocol protocol, String topic,
      ProbeParser.Sink sink, Runnable onEnd) {
    WebSocketSubscription s = new WebSocketSubscription(client, protocol, topic, sink, onEnd);
    s.ws.handler(s::onMessage);
    s.ws.closeHandler(v -> s.onClose());
    s.ws.exceptionHandler(e -> s.onClose());
    return s.ws.connect(target).compose(v -> {
      if (protocol == Protocol.SWITCHBOARD) {
        s.ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", topic).encode());
      }
      return s.subscribed.future();
    });
  }

  private void onClose() {
    if (!subscribed.tryFail("closed before subscribing")) {
      onEnd.run();
    }
  }

  private void onMessage(Buffer message) {
    if (subscribed.future().isComplete()) {
      if (protocol == Protocol.SOCKETIO && message.length() == 1 && message.getByte(0) == '2') {
        ws.writeTextMessage(EngineIo.PONG);
        return;
      }
      ProbeFields.read(message, sink);
      return;
    }
    String text = message.toString();
    if (protocol == Protocol.SWITCHBOARD) {
      JsonObject frame = new JsonObject(text);
      if ("subscribed".equals(frame.getString("type"))) {
        subscribed.tryComplete();
      } else if ("error".equals(frame.getString("type"))) {
        subscribed.tryFail(text);
      }
      return;
    }
    EngineIo.Packet packet = EngineIo.decode(text);
    if (packet.isOpen()) {
      ws.writeTextMessage(EngineIo.CONNECT_DEFAULT_NAMESPACE);
    } else if (packet.isPing()) {
      ws.writeTextMessage(EngineIo.PONG);
    } else if (packet.isConnect()) {
      ws.writeTextMessage(EngineIo.event("subscribe", topic));
    } else if (packet.isEvent() && "subscribed".equals(new JsonArray(packet.json()).getString(0))) {
      subscribed.tryComplete();
    }
  }
}
