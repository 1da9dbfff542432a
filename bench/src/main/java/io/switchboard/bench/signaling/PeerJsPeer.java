package io.switchboard.bench.signaling;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * PeerJsPeer speaks the PeerJS server protocol: the client picks its id in the URL, the server
 * answers {@code OPEN}, and {@code OFFER}/{@code ANSWER} messages with {@code dst} arrive with
 * {@code src}. PeerJS has no rooms, so joining completes at once.
 */
public final class PeerJsPeer extends SignalPeer {

  public PeerJsPeer(WebSocketClient client, Consumer<Relay> onRelay, LongAdder errors, String id) {
    super(client, onRelay, errors);
    this.pendingId = id;
  }

  private final String pendingId;

  @Override
  public Future<Void> join(String room) {
    return Future.succeededFuture();
  }

  @Override
  public void relay(String target, long seq, long sentAt, boolean ping) {
    ws.writeTextMessage(new JsonObject()
        .put("type", ping ? "OFFER" : "ANSWER")
        .put("dst", target)
        .put("payload", new JsonObject()
            .put("sdp", description(ping))
            .put("seq", seq).put("t", sentAt).put("ping", ping))
        .encode());
  }

  @Override
  protected void onText(String text) {
    JsonObject m;
    try {
      m = new JsonObject(text);
    } catch (RuntimeException e) {
      errors.increment();
      return;
    }
    switch (m.getString("type", "")) {
      case "OPEN" -> ready.tryComplete(pendingId);
      case "OFFER", "ANSWER" -> {
        JsonObject p = m.getJsonObject("payload", new JsonObject());
        onRelay.accept(new Relay(m.getString("src"), p.getLong("seq", -1L), p.getLong("t", 0L),
            p.getBoolean("ping", false)));
      }
      case "ERROR", "ID-TAKEN", "INVALID-KEY" -> {
        errors.increment();
        ready.tryFail(m.getString("type"));
      }
      default -> {
        // EXPIRE, LEAVE and heartbeats are not load.
      }
    }
  }
}
