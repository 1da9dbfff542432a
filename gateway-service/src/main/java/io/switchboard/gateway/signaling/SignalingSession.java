package io.switchboard.gateway.signaling;

import io.switchboard.common.log.LimitLog;
import io.switchboard.common.log.LogFields;
import io.switchboard.common.signaling.PresenceEvent;
import io.switchboard.common.signaling.SignalingProtocol;
import io.switchboard.common.CloseCode;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.stats.RateMeter;
import io.switchboard.gateway.auth.SocketAccess;
import io.switchboard.gateway.limits.RateLimiter;
import io.switchboard.gateway.node.SignalingConfig;
import io.switchboard.gateway.transport.SocketLimits;
import io.switchboard.gateway.transport.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SignalingSession is one {@code /ws/signaling} connection: it validates and rate-limits what the
 * client sends, has its {@link RoomMembership} join and leave rooms through the
 * {@link RoomDirectory}, and has its {@link PeerMessages} send its relays and broadcasts through the
 * {@link PeerRouter} to the gateway nodes of their recipients. What is delivered to it comes in through {@link #onPresence},
 * {@link #onPeerDelivery} and {@link #onNodeLost}.
 *
 * <p>Its {@link SocketAccess} says what the client may do: which rooms it may join, and who it is.
 * Its user goes with it into rooms and onto what it sends, as {@code user} and {@code fromUser},
 * and its token's expiry closes it unless the client refreshes the token.
 */
final class SignalingSession {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingSession.class);
  private static final LimitLog LIMITS = new LimitLog(LOG);

  private final ServerWebSocket ws;
  private final String peerId;
  private final SignalingConfig config;
  private final PeerRouter router;
  private final IceServers iceServers;
  private final RateMeter frames;
  private final FrameTypes frameTypes;
  private final SocketAccess access;
  private final PeerMessages peerMessages;
  private final RateLimiter limiter;
  private final Runnable onClose;
  private final SessionSocket out;
  private final RoomMembership membership;

  /** Runs on the event loop of its connection, where {@code router} serves it. */
  SignalingSession(ServerWebSocket ws, SignalingConfig config, RoomDirectory rooms, PeerRouter router,
      IceServers iceServers, RateMeter frames, FrameTypes frameTypes, SocketAccess access, Runnable onClose) {
    this.ws = ws;
    this.peerId = PeerIds.next();
    this.access = access;

    this.config = config;
    this.router = router;
    this.iceServers = iceServers;
    this.frames = frames;
    this.frameTypes = frameTypes;
    this.onClose = onClose;
    this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), config.floodLimit(),
        config.floodWindow().toNanos(), System.nanoTime());
    this.out = new SessionSocket(ws, peerId, config.maxQueuedFrames(), this::onClosed);
    this.membership = new RoomMembership(this, config, rooms, router, out);
    this.peerMessages = new PeerMessages(ClientFrames.Sender.of(peerId, access.user()), membership, router, out);
  }

  String peerId() {
    return peerId;
  }

  /** The client's user, or null when it has none (open mode). */
  String user() {
    return access.user();
  }

  /** Whether the client's current grants allow {@code room}. */
  boolean mayJoin(String room) {
    return access.grants().mayJoin(room);
  }

  void start() {
    if (ws.isClosed()) {
      // Closed by its client already: Vert.x would refuse the handlers, and no close handler runs.
      onClose.run();
      return;
    }
    router.attach(this);
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(this::onBinary);
    ws.exceptionHandler(this::onFailure);
    ws.closeHandler(v -> onClosed());
    out.write(new JsonObject().put("type", "welcome").put("id", peerId)
        .put("iceServers", iceServers.forPeer(peerId, access.authenticated())));
    access.watch(out);
    LOG.atDebug().addKeyValue(LogFields.PEER, peerId).log("Signaling connection {} opened", peerId);
  }

  // ---- from the client

  private void onText(String text) {
    if (out.closed() || !admit()) {
      return;
    }
    frames.mark();
    if (ClientFrames.tooLarge(text, config.maxMessageBytes())) {
      LIMITS.hit("ws-too-large", LogFields.of(LogFields.PEER, peerId), "Closing signaling connection {} with 1009: a message over {} bytes"
          + " (SIGNALING_MAX_MESSAGE_BYTES)", peerId, config.maxMessageBytes());
      out.error(ErrorCode.TOO_LARGE, "Messages are limited to " + config.maxMessageBytes() + " bytes");
      out.close(CloseCode.MESSAGE_TOO_BIG.code(), "message too big");
      return;
    }
    Object decoded;
    try {
      decoded = StrictJson.decode(text);
    } catch (java.io.IOException e) {
      frameTypes.markInvalid();
      out.error(ErrorCode.BAD_JSON, "The message is not valid JSON (comments and repeated keys are not allowed)");
      return;
    }
    if (!(decoded instanceof JsonObject message)) {
      frameTypes.markInvalid();
      out.error(ErrorCode.BAD_REQUEST, "A message must be a JSON object");
    } else if (!(message.getValue("type") instanceof String type)) {
      frameTypes.markInvalid();
      out.error(ErrorCode.BAD_REQUEST, "A message needs a string field 'type'");
    } else {
      frameTypes.mark(type);
      dispatch(type, text, message);
    }
  }

  private void dispatch(String type, String text, JsonObject message) {
    switch (type) {
      case "join" -> onJoin(message);
      case "leave" -> membership.requestLeave();
      case "sdp", "ice-candidate" -> peerMessages.relay(type, text, message);
      case "broadcast" -> peerMessages.broadcast(message);
      case SocketAccess.REFRESH -> onRefresh(message);
      default -> out.error(ErrorCode.UNKNOWN_TYPE, "Unknown message type '" + ClientFrames.truncate(type) + "'");
    }
  }

  private void onBinary(Buffer bytes) {
    if (out.closed() || !admit()) {
      return;
    }
    out.error(ErrorCode.BAD_REQUEST, "Signaling messages are JSON text frames, not binary");
  }

  private void onFailure(Throwable err) {
    boolean answered = SocketLimits.answer(err, "signaling connection " + peerId, new SocketLimits.Answers() {
      @Override
      public void error(ErrorCode code, String message) {
        out.error(code, message);
      }

      @Override
      public void close(short status, String reason) {
        out.close(status, reason);
      }
    });
    if (!answered) {
      LOG.atDebug().addKeyValue(LogFields.PEER, peerId)
          .log("Signaling connection {} failed: {}", peerId, err.toString());
    }
  }

  /** Takes a token; false when the message must be dropped. */
  private boolean admit() {
    switch (limiter.take(System.nanoTime())) {
      case ACCEPT:
        return true;
      case REFUSE:
        LIMITS.hit("signaling-rate-limited", LogFields.of(LogFields.PEER, peerId), "Dropping messages of signaling connection {}: over {} per"
            + " second, bursts of {} (SIGNALING_RATE_*)", peerId, config.ratePerSecond(), config.rateBurst());
        out.error(ErrorCode.RATE_LIMITED, "Too many messages: at most " + config.ratePerSecond()
            + " per second, bursts of " + config.rateBurst());
        return false;
      default:
        LIMITS.hit("signaling-flood", LogFields.of(LogFields.PEER, peerId), "Closing signaling connection {} with 1008: {} messages over the"
            + " rate limit (SIGNALING_FLOOD_LIMIT)", peerId, config.floodLimit());
        out.error(ErrorCode.RATE_LIMITED, "Too many messages; closing the connection");
        out.close(CloseCode.POLICY_VIOLATION.code(), "rate limit exceeded");
        return false;
    }
  }

  private void onJoin(JsonObject message) {
    String room = ClientFrames.room(message);
    if (room == null) {
      out.error(ErrorCode.BAD_REQUEST, SignalingProtocol.ROOM_FIELD_RULE);
      return;
    }
    membership.requestJoin(room);
  }

  /** A fresh token: once it is checked, the client hears how it went, and may have to leave its room. */
  private void onRefresh(JsonObject message) {
    access.refresh(message).onSuccess(answer -> {
      out.write(answer);
      membership.recheck();
    });
  }

  // ---- to the client

  /** A presence event of this connection's room, from signaling-service. */
  void onPresence(PresenceEvent presence) {
    membership.deliver(presence.room(), presence);
  }

  /** An operator takes this connection out of {@code room}; false when it is not in it or joining it. */
  boolean kick(String room) {
    return membership.kick(room);
  }

  /** A relay to this connection, or a broadcast in its room. */
  void onPeerDelivery(PeerDelivery delivery) {
    membership.deliver(delivery.room(), delivery);
  }

  /** A gateway node left the cluster: its peers in this connection's room are gone. */
  void onNodeLost(String lostNode) {
    membership.nodeLost(lostNode);
  }

  /** A gateway node joined the cluster, perhaps one taken for lost by mistake. */
  void onNodeJoined(String node) {
    membership.nodeJoined(node);
  }

  private void onClosed() {
    if (!out.markClosed()) {
      return;
    }
    access.stop();
    membership.close();
    router.detach(this);
    onClose.run();
    LOG.atDebug().addKeyValue(LogFields.PEER, peerId).log("Signaling connection {} closed", peerId);
  }
}
