package io.switchboard.bench.signaling;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * SocketIoPeer speaks Socket.IO over a raw WebSocket to the peer server in
 * {@code bench/peers/socketio-signaling.js}: {@code join} then {@code joined}, and {@code signal}
 * events with {@code target} delivered with {@code from}.
 */
public final class SocketIoPeer extends SignalPeer {

  public SocketIoPeer(WebSocketClient client, Consumer<Relay> onRelay, LongAdder errors) {
    super(client, onRelay, errors);
  }

  @Override
  public Future<Void> join(String room) {
    return requestJoin(EngineIo.event("join", room));
  }

  @Override
  public void relay(String target, long seq, long sentAt, boolean ping) {
    ws.writeTextMessage(EngineIo.event("signal", SwitchboardPeer.sdpMessage(target, seq, sentAt, ping)));
  }

  @Override
  protected void onText(String text) {
    EngineIo.Packet packet;
    try {
      packet = EngineIo.decode(text);
    } catch (IllegalArgumentException e) {
      errors.increment();
      return;
    }
    if (packet.isOpen()) {
      ws.writeTextMessage(EngineIo.CONNECT_DEFAULT_NAMESPACE);
    } else if (packet.isPing()) {
      ws.writeTextMessage(EngineIo.PONG);
    } else if (packet.isConnect()) {
      ready.tryComplete(new JsonObject(packet.json()).getString("sid"));
    } else if (packet.isEvent()) {
      JsonArray args = packet.eventArgs();
      String name = args.getString(0);
      if ("signal".equals(name)) {
        JsonObject m = args.getJsonObject(1);
        onRelay.accept(new Relay(m.getString("from"), m.getLong("seq", -1L), m.getLong("t", 0L),
            m.getBoolean("ping", false)));
      } else if ("joined".equals(name)) {
        joinConfirmed();
      }
    }
  }
}
