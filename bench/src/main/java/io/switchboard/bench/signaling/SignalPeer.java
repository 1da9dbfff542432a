package io.switchboard.bench.signaling;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;

/**
 * SignalPeer is one signaling client over a WebSocket. Subclasses speak one server's protocol:
 * how the peer learns its id, joins a room and relays a message to another peer.
 */
public abstract class SignalPeer {

  static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  protected final ClientWebSocket ws;
  protected final Consumer<Relay> onRelay;
  protected final LongAdder errors;
  protected final Promise<String> ready = Promise.promise();
  private Promise<Void> joined;
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

  /**
   * A peer speaking {@code protocol}: {@code switchboard}, {@code socketio} or {@code peerjs}. A
   * PeerJS peer registers as {@code peerJsId}.
   */
  public static SignalPeer create(String protocol, WebSocketClient client, Consumer<Relay> onRelay, LongAdder errors,
      String peerJsId) {
    return switch (protocol) {
      case "switchboard" -> new SwitchboardPeer(client, onRelay, errors);
      case "socketio" -> new SocketIoPeer(client, onRelay, errors);
      case "peerjs" -> new PeerJsPeer(client, onRelay, errors, peerJsId);
      default -> throw new IllegalArgumentException("--protocol: expected switchboard, socketio or peerjs");
    };
  }

  /** The URL a peer of {@code protocol} connects to: a PeerJS peer names its id and token in it. */
  public static String url(String protocol, String url, String peerJsId) {
    if (!protocol.equals("peerjs")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "id=" + peerJsId + "&token=" + peerJsId.substring(1, 9);
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

  /** Sends {@code request}; the future completes when the server confirms the join. */
  protected synchronized Future<Void> requestJoin(String request) {
    joined = Promise.promise();
    ws.writeTextMessage(request);
    return joined.future();
  }

  /** The server confirmed the join last asked for. */
  protected synchronized void joinConfirmed() {
    if (joined != null) {
      joined.tryComplete();
    }
  }

  /** The server refused the join last asked for. */
  protected synchronized void joinRefused(String reason) {
    if (joined != null) {
      joined.tryFail(reason);
    }
  }

  /** The session description a relay carries: an offer when it pings, an answer when it answers. */
  protected static JsonObject description(boolean ping) {
    return new JsonObject().put("type", ping ? "offer" : "answer").put("sdp", SDP);
  }

  public Future<Void> close() {
    return ws.close();
  }
}
