package io.switchboard.bench.signaling;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** SwitchboardPeer speaks Switchboard's {@code /ws/signaling}: welcome, join/joined, sdp with target/from. */
public final class SwitchboardPeer extends SignalPeer {

  static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  public SwitchboardPeer(WebSocketClient client, Consumer<Relay> onRelay, LongAdder errors) {
    super(client, onRelay, errors);
  }

  @Override
  public synchronized Future<Void> join(String room) {
    joined = Promise.promise();
    ws.writeTextMessage(new JsonObject().put("type", "join").put("room", room).encode());
    return joined.future();
  }

  @Override
  public void relay(String target, long seq, long sentAt, boolean ping) {
    ws.writeTextMessage(new JsonObject()
        .put("type", "sdp")
        .put("target", target)
        .put("sdp", new JsonObject().put("type", ping ? "offer" : "answer").put("sdp", SDP))
        .put("seq", seq).put("t", sentAt).put("ping", ping)
        .encode());
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
      case "joined" -> {
        synchronized (this) {
          if (joined != null) {
            joined.tryComplete();
          }
        }
      }
      case "sdp", "ice-candidate" -> onRelay.accept(new Relay(frame.getString("from"),
          frame.getLong("seq", -1L), frame.getLong("t", 0L), frame.getBoolean("ping", false)));
      case "error" -> {
        errors.increment();
        synchronized (this) {
          if (joined != null) {
            joined.tryFail("error " + frame.getString("code"));
          }
        }
      }
      default -> {
        // peer-joined, peer-left and the like are presence, not load.
      }
    }
  }
}
