package io.switchboard.bench.signaling;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;

/**
 * SignalPeer is one signaling client over a WebSocket. Subclasses speak one server's protocol:
 * how the peer learns its id, joins a room and relays a message to another peer.
 */
public abstract class SignalPeer {

  protected final ClientWebSocket ws;
  protected final Consumer<Relay> onRelay;
  protected final LongAdder errors;
  protected final Promise<String> ready = Promise.promise();
  protected Promise<Void> joined;
  private String id;

  protected SignalPeer(WebSocketClient client, Consumer<Relay> onRelay, LongAdder errors) {
    this.ws = client.webSocket();
    this.onRelay = onRelay;
    this.errors = errors;
    ws.textMessageHandler(this::onText);
    ws.exceptionHandler(e -> errors.increment());
    ws.closeHandler(v -> {
      ready.tryFail("closed before it was ready");
      if (joined != null) {
        joined.tryFail("closed before joining");
      }
    });
  }

  /** Connects and completes with the peer's id once the server has accepted it. */
  public Future<String> connect(WebSocketConnectOptions target) {
    return ws.connect(target).compose(s -> ready.future()).onSuccess(v -> id = v);
  }

  public String id() {
    return id;
  }

  /** Joins a room; completes when the server confirms. */
  public abstract Future<Void> join(String room);

  /** Sends one relay to {@code target}; the server is expected to deliver it with our id. */
  public abstract void relay(String target, long seq, long sentAt, boolean ping);

  protected abstract void onText(String text);

  public Future<Void> close() {
    return ws.close();
  }
}
