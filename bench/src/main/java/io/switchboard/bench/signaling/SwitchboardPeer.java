package io.switchboard.bench.signaling;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** SwitchboardPeer speaks Switchboard's {@code /ws/signaling}: welcome, join/joined, sdp with target/from. */
public final class SwitchboardPeer extends SignalPeer {

  public SwitchboardPeer(WebSocketClient client, Consumer<Relay> onRelay, LongAdder errors) {
    super(client, onRelay, errors);
  }

  @Override
  public Future<Void> join(String room) {
    return requestJoin(new JsonObject().put("type", "join").put("room", room).encode());
  }

  @Override
  public void relay(String target, long seq, long sentAt, boolean ping) {
    ws.writeTextMessage(sdpMessage(target, seq, sentAt, ping).encode());
  }

  /** An {@code sdp} message to {@code target}, carrying the probe's sequence number and send time. */
  static JsonObject sdpMessage(String target, long seq, long sentAt, boolean ping) {
    return new JsonObject()
        .put("type", "sdp")
        .put("target", target)
        .put("sdp", description(ping))
        .put("seq", seq).put("t", sentAt).put("ping", ping);
  }

  @Override
  protected void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      errors.increment();
      return;
    }
    switch (frame.getString("type", "")) {
      case "welcome" -> ready.tryComplete(frame.getString("id"));
      case "joined" -> joinConfirmed();
      case "sdp", "ice-candidate" -> onRelay.accept(new Relay(frame.getString("from"),
          frame.getLong("seq", -1L), frame.getLong("t", 0L), frame.getBoolean("ping", false)));
      case "error" -> {
        errors.increment();
        joinRefused("error " + frame.getString("code"));
      }
      default -> {
        // peer-joined, peer-left and the like are presence, not load.
      }
    }
  }
}
