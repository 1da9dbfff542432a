package io.switchboard.gateway.topicsocket;

import io.switchboard.common.CloseCode;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.limits.RateLimiter;
import io.switchboard.gateway.node.TopicSocketConfig;
import io.switchboard.gateway.transport.SocketLimits;
import io.switchboard.gateway.transport.StrictJson;
import io.switchboard.gateway.transport.WebSocketChannel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TopicSession is one {@code /ws/topics} connection: it greets the client with {@code welcome},
 * reads its JSON messages ({@code subscribe}, {@code unsubscribe}, {@code publish},
 * {@code refresh}), and hands each to the part that answers it.
 *
 * <p>Every message takes a token of the connection's rate limit ({@code WS_TOPICS_RATE_*}); one
 * over it is refused with {@code rate-limited}, and a flood of them closes the connection with 1008.
 * While too many publishes wait for sse-service, or the client does not read what is sent to it,
 * the connection is not read: a fast sender is slowed by TCP instead of growing the gateway's
 * memory. Used from the connection's event loop only.
 */
final class TopicSession {

  private static final Logger LOG = LoggerFactory.getLogger(TopicSession.class);
  private static final LimitLog LIMITS = new LimitLog(LOG);

  private final ServerWebSocket ws;
  private final String connectionId;
  private final TopicSocketConfig config;
  private final SocketAccess access;
  private final TopicSocket out;
  private final RateLimiter limiter;
  private final Runnable onClose;
  private SocketSubscriptions subscriptions;
  private SocketPublishes publishes;
  private boolean paused;

  /** {@code onClose} runs once when the connection is gone. */
  TopicSession(ServerWebSocket ws, String connectionId, TopicSocketConfig config, SocketAccess access,
      Runnable onClose) {
    this.ws = ws;
    this.connectionId = connectionId;
    this.config = config;
    this.access = access;
    this.onClose = onClose;
    this.out = new TopicSocket(ws, config.maxQueuedFrames(), this::gone);
    this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), config.floodLimit(),
        config.floodWindow().toNanos(), System.nanoTime());
  }

  TopicSocket out() {
    return out;
  }

  /**
   * Starts serving with the parts that answer subscriptions and publishes; events go straight to
   * the channel of {@code connection} when it has a direct one.
   */
  void start(SocketSubscriptions subscriptions, SocketPublishes publishes, HttpConnection connection) {
    this.subscriptions = subscriptions;
    this.publishes = publishes;
    if (ws.isClosed()) {
      // Closed by its client already: Vert.x would refuse the handlers, and no close handler runs.
      out.gone();
      return;
    }
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(bytes -> {
      if (admit("")) {
        out.send(ErrorCode.BAD_REQUEST.toFrame("Messages are JSON text frames, not binary"));
      }
    });
    ws.exceptionHandler(this::onFailure);
    ws.closeHandler(v -> out.gone());
    ws.drainHandler(v -> writable());
    out.direct(WebSocketChannel.of(connection, this::writable));
    access.watch(out);
    out.send(TopicFrames.welcome(connectionId, access.user()));
  }

  private void onText(String text) {
    if (out.closed() || !admit(text)) {
      return;
    }
    Object decoded;
    try {
      decoded = StrictJson.decode(text);
    } catch (IOException e) {
      out.send(ErrorCode.BAD_JSON.toFrame("The message is not valid JSON (comments and repeated keys are not allowed)"));
      return;
    }
    if (!(decoded instanceof JsonObject message)) {
      out.send(ErrorCode.BAD_REQUEST.toFrame("A message must be a JSON object"));
    } else if (!(message.getValue("type") instanceof String type)) {
      out.send(ErrorCode.BAD_REQUEST.toFrame("A message needs a string field 'type'"));
    } else {
      dispatch(type, message);
    }
  }

  private void dispatch(String type, JsonObject message) {
    switch (type) {
      case TopicFrames.SUBSCRIBE -> subscriptions.subscribe(message);
      case TopicFrames.UNSUBSCRIBE -> subscriptions.unsubscribe(message);
      case TopicFrames.PUBLISH -> publishes.publish(message);
      case SocketAccess.REFRESH -> access.refresh(message).onSuccess(answer -> {
        out.send(answer);
        subscriptions.recheck();
      });
      default -> out.send(ErrorCode.UNKNOWN_TYPE.toFrame("Unknown message type '" + truncate(type) + "'"));
    }
  }

  private static String truncate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  private void onFailure(Throwable err) {
    boolean answered = SocketLimits.answer(err, "a topics WebSocket", new SocketLimits.Answers() {
      @Override
      public void error(ErrorCode code, String message) {
        out.send(code.toFrame(message));
      }

      @Override
      public void close(short status, String reason) {
        out.close(status, reason);
      }
    });
    if (!answered) {
      LOG.atDebug().addKeyValue(LogFields.CONNECTION, connectionId)
          .log("Topics connection {} failed: {}", connectionId, err.toString());
    }
  }

  /** Takes a token; false when the message, {@code text}, must be dropped. */
  private boolean admit(String text) {
    switch (limiter.take(System.nanoTime())) {
      case ACCEPT:
        return true;
      case REFUSE:
        LIMITS.hit("ws-topics-rate-limited", LogFields.of(LogFields.CONNECTION, connectionId), "Dropping messages of a topics WebSocket: over {} per second,"
            + " bursts of {} (WS_TOPICS_RATE_*)", config.ratePerSecond(), config.rateBurst());
        out.send(TopicFrames.refused(ErrorCode.RATE_LIMITED, "Too many messages: at most " + config.ratePerSecond()
            + " per second, bursts of " + config.rateBurst(), text));
        return false;
      default:
        LIMITS.hit("ws-topics-flood", LogFields.of(LogFields.CONNECTION, connectionId), "Closing a topics WebSocket with 1008: {} messages over the rate limit"
            + " (WS_TOPICS_FLOOD_LIMIT)", config.floodLimit());
        out.send(ErrorCode.RATE_LIMITED.toFrame("Too many messages; closing the connection"));
        out.close(CloseCode.POLICY_VIOLATION.code(), "flooding");
        return false;
    }
  }

  /** Reads the connection only while its publishes and its client keep up. */
  private void writable() {
    subscriptions.writable();
    flowChanged();
  }

  private void flowChanged() {
    if (out.closed()) {
      return;
    }
    boolean shouldPause = publishes.inFlight() >= config.maxPublishesInFlight() || out.full();
    if (shouldPause && !paused) {
      paused = true;
      ws.pause();
    } else if (!shouldPause && paused) {
      paused = false;
      ws.resume();
    }
  }

  /** Runs once publishes in flight change: the connection may be read again. */
  Runnable flow() {
    return this::flowChanged;
  }

  private void gone() {
    access.stop();
    if (subscriptions != null) {
      subscriptions.endAll();
    }
    onClose.run();
    LOG.atDebug().addKeyValue(LogFields.CONNECTION, connectionId).log("Topics connection {} closed", connectionId);
  }
}
